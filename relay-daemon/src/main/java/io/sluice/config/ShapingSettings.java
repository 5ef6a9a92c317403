package io.sluice.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Per-ISP traffic shaping ({@code shaping} in sluice.yaml, and the files it names; docs/shaping.md): where the rules
 * come from and, once loaded, the rules themselves.
 *
 * @param file      the shaping rules ({@code shaping.file}, e.g. the shipped conf/shaping.yaml), or null: shaping off,
 *                  every delivery path takes {@code delivery.*} limits
 * @param overrides an operator's file merged over {@code file} key by key ({@code shaping.overrides}), or null
 * @param rules     the merged, validated contents; null when {@code file} is null (and in a snapshot read without
 *                  its files, before {@link SettingsLoader} loads them)
 */
public record ShapingSettings(Path file, Path overrides, Rules rules) {

    /** Shaping off. */
    public static final ShapingSettings OFF = new ShapingSettings(null, null, null);

    public ShapingSettings {
        if (file == null && (rules != null || overrides != null)) {
            throw new IllegalArgumentException("shaping rules or overrides without a shaping file");
        }
    }

    /** True when a shaping file is configured (and, in a loaded snapshot, its rules are here). */
    public boolean enabled() {
        return file != null;
    }

    /**
     * The contents of the shaping file(s).
     *
     * @param defaults   the limits of every (source, site) path that no provider matches ({@code default})
     * @param providers  mailbox providers in file order ({@code providers})
     * @param automation rules every provider (and the default) has besides its own ({@code automation})
     * @param schedules  warm-up schedules by name ({@code warmup.schedules}), in file order
     * @param maxDeferralRate a warming source's day counts only when its deferred share of attempts stayed at or
     *                   below this ({@code warmup.max_deferral_rate}, default 0.05)
     * @param maxBlockRate the same for blocks, 5xx 5.7.x policy refusals ({@code warmup.max_block_rate}, default 0.01)
     * @param rotation   reputation-driven source rotation ({@code rotation}), or null: off
     */
    public record Rules(PathLimits defaults, List<Provider> providers, List<AutomationRule> automation,
                        List<WarmupSchedule> schedules, double maxDeferralRate, double maxBlockRate,
                        Rotation rotation) {
        /** Default warm-up thresholds. */
        public static final double MAX_DEFERRAL_RATE = 0.05;
        public static final double MAX_BLOCK_RATE = 0.01;

        public Rules {
            Objects.requireNonNull(defaults, "defaults");
            providers = List.copyOf(providers);
            automation = List.copyOf(automation);
            schedules = List.copyOf(schedules);
        }

        /** Rules with the default warm-up thresholds and rotation. */
        public Rules(PathLimits defaults, List<Provider> providers, List<AutomationRule> automation,
                     List<WarmupSchedule> schedules) {
            this(defaults, providers, automation, schedules, MAX_DEFERRAL_RATE, MAX_BLOCK_RATE, Rotation.DEFAULT);
        }

        /** The provider named {@code name}, or null. */
        public Provider provider(String name) {
            for (Provider p : providers) {
                if (p.name().equals(name)) {
                    return p;
                }
            }
            return null;
        }

        /** The warm-up schedule named {@code name}, or null. */
        public WarmupSchedule schedule(String name) {
            for (WarmupSchedule s : schedules) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
            return null;
        }
    }

    /**
     * The full limits of one (source, site) path ({@code default}).
     *
     * @param connections              open connections at once ({@code connections})
     * @param messageRate              transactions started per period, or null for none ({@code message_rate})
     * @param connectionRate           new connections per period, or null for none ({@code connection_rate})
     * @param deliveriesPerConnection  transactions before a connection is closed ({@code deliveries_per_connection})
     * @param recipientsPerTransaction recipients in one transaction ({@code recipients_per_transaction})
     * @param idleTimeout              close an unused connection after ({@code idle_timeout})
     * @param tls                      outbound TLS ({@code tls})
     */
    public record PathLimits(int connections, Rate messageRate, Rate connectionRate, int deliveriesPerConnection,
                             int recipientsPerTransaction, Duration idleTimeout, DeliverySettings.OutboundTls tls) {
    }

    /**
     * Limits of a provider's paths ({@code per_site}: one (source, site); {@code per_source}: every site of the
     * provider from one source; {@code total}: every site from every source); each null when not given.
     */
    public record GroupLimits(Integer connections, Rate messageRate, Rate connectionRate,
                              Integer deliveriesPerConnection) {
        /** No limit given. */
        public static final GroupLimits NONE = new GroupLimits(null, null, null, null);
    }

    /**
     * A mailbox provider ({@code providers[]}): the sites whose every MX host ends with one of {@code mxSuffixes}.
     *
     * @param name       unique; metric label and CLI name
     * @param mxSuffixes lower-case host suffixes; {@code .google.com} matches {@code aspmx.l.google.com}, a suffix
     *                   without the leading dot also matches that exact host
     * @param perSite    limits per (source, site) of the provider ({@code per_site}), over the default's
     * @param perSource  limits per (source, provider) ({@code per_source})
     * @param total      limits over all sources ({@code total}); {@link GroupLimits#NONE} for none
     * @param tls        outbound TLS towards it ({@code tls}), or null: the default's
     * @param automation its own reply rules ({@code automation}), tried before the common ones
     */
    public record Provider(String name, List<String> mxSuffixes, GroupLimits perSite, GroupLimits perSource,
                           GroupLimits total,
                           DeliverySettings.OutboundTls tls, List<AutomationRule> automation) {
        public Provider {
            mxSuffixes = List.copyOf(mxSuffixes);
            automation = List.copyOf(automation);
        }
    }

    /**
     * A rate {@code count} per {@code period}, with an optional {@code burst} (written {@code 100/s burst 20}; 1
     * when not given: evenly spaced, never two at once).
     */
    public record Rate(long count, Duration period, int burst) {
        /** Nanoseconds between two events at this rate. */
        public long intervalNanos() {
            return Math.max(1, period.toNanos() / count);
        }

        @Override
        public String toString() {
            String unit = period.equals(Duration.ofSeconds(1)) ? "s" : period.equals(Duration.ofMinutes(1)) ? "min"
                    : "h";
            return count + "/" + unit + (burst > 1 ? " burst " + burst : "");
        }
    }

    /**
     * A reply rule ({@code automation[]}): when {@code match} finds a reply ("code enhanced-code text") often enough
     * ({@code trigger}), {@code action} applies to the (source, provider) path.
     *
     * @param match   the regex as written
     * @param pattern {@code match} compiled
     * @param count   matching replies that fire it (1: {@code immediate})
     * @param window  within this long ({@link Duration#ZERO} for {@code immediate})
     * @param action  what it does
     */
    public record AutomationRule(String match, Pattern pattern, int count, Duration window, Action action) {
        /** Equal when written the same ({@link Pattern} has no equality of its own; it follows from match). */
        @Override
        public boolean equals(Object o) {
            return o instanceof AutomationRule r && r.match.equals(match) && r.count == count
                    && r.window.equals(window) && r.action.equals(action);
        }

        @Override
        public int hashCode() {
            return Objects.hash(match, count, window, action);
        }
    }

    /**
     * What a fired rule does for {@code duration}: suspend the path; or cut its message rate and/or cap its
     * connections; or bounce (the matching recipients fail for good instead of being retried; no duration).
     *
     * @param suspend     no new deliveries on the path ({@code {suspend: 2h}})
     * @param bounce      the matching recipients bounce ({@code bounce})
     * @param messageRate the path's message rate while it lasts, or null ({@code message_rate})
     * @param connections the path's connection cap while it lasts, or 0 ({@code connections})
     * @param duration    how long it lasts ({@code for}, or suspend's value); zero for bounce
     */
    public record Action(boolean suspend, boolean bounce, Rate messageRate, int connections, Duration duration) {
        @Override
        public String toString() {
            if (bounce) {
                return "bounce";
            }
            StringBuilder sb = new StringBuilder(suspend ? "suspend" : "");
            if (messageRate != null) {
                sb.append("message_rate ").append(messageRate);
            }
            if (connections > 0) {
                sb.append(sb.length() > 0 ? ", " : "").append("connections ").append(connections);
            }
            return sb.append(" for ").append(io.sluice.util.Durations.format(duration)).toString();
        }
    }

    /**
     * Reputation-driven source rotation ({@code rotation}): a source whose block or deferral share over its last
     * {@code window} transactions to a provider (at least {@code minTransactions} counted) passes a threshold leaves
     * rotation for that provider for {@code cooldown}, then comes back when a probe goes through.
     */
    public record Rotation(int window, int minTransactions, double maxDeferralRate, double maxBlockRate,
                           Duration cooldown) {
        /** The defaults of a shaping file without {@code rotation}. */
        public static final Rotation DEFAULT = new Rotation(100, 20, 0.5, 0.1, Duration.ofHours(1));
    }

    /**
     * A warm-up schedule ({@code warmup.schedules[]}): from each listed day on (day 1 = the source's start date,
     * UTC), the daily caps per provider; {@code default} covers providers not named. The last listed day's caps hold
     * through that day; after it the warm-up is complete and nothing is capped.
     */
    public record WarmupSchedule(String name, List<Day> days) {
        public WarmupSchedule {
            days = List.copyOf(days);
        }

        /** The step in force on warm-up day {@code day} (from 1), or null once past the last listed day. */
        public Day step(int day) {
            Day found = null;
            for (Day d : days) {
                if (d.day() <= day) {
                    found = d;
                }
            }
            if (days.isEmpty() || day > days.get(days.size() - 1).day()) {
                return null;
            }
            return found != null ? found : days.get(0);
        }

        /** Messages per UTC day to {@code provider} (a provider's name, or {@code default}) on day {@code day}; -1: no cap. */
        public long cap(int day, String provider) {
            Day d = step(day);
            if (d == null) {
                return -1;
            }
            Long c = d.caps().get(provider);
            if (c == null) {
                c = d.caps().get("default");
            }
            return c == null ? -1 : c;
        }

        /** One step: caps per provider name ({@code default} for the rest) from {@code day} on. */
        public record Day(int day, Map<String, Long> caps) {
            public Day {
                caps = Map.copyOf(caps);
            }
        }
    }
}
