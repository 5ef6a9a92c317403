package io.sluice.config;

import io.sluice.config.DeliverySettings.OutboundTls;
import io.sluice.config.ShapingSettings.Action;
import io.sluice.config.ShapingSettings.AutomationRule;
import io.sluice.config.ShapingSettings.GroupLimits;
import io.sluice.config.ShapingSettings.PathLimits;
import io.sluice.config.ShapingSettings.Provider;
import io.sluice.config.ShapingSettings.Rate;
import io.sluice.config.ShapingSettings.Rules;
import io.sluice.config.ShapingSettings.WarmupSchedule;
import io.sluice.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a shaping document (conf/shaping.yaml with {@code shaping.overrides} merged over it, {@link YamlMerge}) into
 * {@link Rules}; the key reference is the shipped file and docs/shaping.md.
 *
 * <p>Top level: {@code default} (the limits of a path no provider matches; each key absent takes the matching
 * {@code delivery.*} value), {@code providers} (name, mx_suffixes, per_site, per_source, total, tls, automation),
 * {@code automation} (rules for every provider and the default), {@code warmup.schedules}. Rates are
 * {@code N/s}, {@code N/min} or {@code N/h} with an optional {@code burst B}; triggers {@code immediate} or
 * {@code N/DURATION} ({@code 3/1h}); actions {@code bounce}, {@code {suspend: 2h}},
 * {@code {message_rate: 10/min, for: 30m}} or {@code {connections: 1, for: 1h}}. Every problem goes to the shared
 * {@link ConfigErrors} with the file and line it was written at. Single-threaded, stateless.
 */
final class ShapingFileReader {

    private static final Limits CONNECTIONS = Limits.range(1, 100_000, Long::toString);
    private static final Limits DELIVERIES = Limits.range(1, 1_000_000, Long::toString);
    private static final Limits RECIPIENTS = Limits.range(1, 100_000, Long::toString);
    private static final Limits IDLE = Limits.range(1000, Duration.ofHours(1).toMillis(),
            ms -> Durations.format(Duration.ofMillis(ms)));
    private static final Limits ACTION_FOR = Limits.range(1000, Duration.ofDays(30).toMillis(),
            ms -> Durations.format(Duration.ofMillis(ms)));
    private static final Limits DAY = Limits.range(1, 3650, Long::toString);
    private static final Limits CAP = Limits.range(0, 1_000_000_000L, Long::toString);
    private static final Pattern RATE_BURST = Pattern.compile("(\\S+)(?:\\s+burst\\s+(\\d+))?");
    private static final Pattern TRIGGER = Pattern.compile("(\\d+)/(\\S+)");
    private static final Pattern SUFFIX = Pattern.compile("\\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*"
            + "[a-z0-9])?)*");
    /** Keys of lists whose elements {@link YamlMerge} merges by name. */
    static final Set<String> NAMED_LISTS = Set.of("providers", "schedules");

    private ShapingFileReader() {
    }

    static Rules read(Node document, DeliverySettings delivery, ConfigErrors errors) {
        YamlMapping doc = YamlMapping.root(document, errors);
        PathLimits defaults = defaults(doc.mapping("default"), delivery);
        List<AutomationRule> common = rules(doc, "automation");
        List<Provider> providers = providers(doc);
        YamlMapping warmup = doc.mapping("warmup");
        double maxDeferral = warmup.read("max_deferral_rate", Rules.MAX_DEFERRAL_RATE, ShapingFileReader::share);
        double maxBlock = warmup.read("max_block_rate", Rules.MAX_BLOCK_RATE, ShapingFileReader::share);
        List<WarmupSchedule> schedules = warmup(warmup, providers);
        ShapingSettings.Rotation rotation = rotation(doc.mapping("rotation"));
        doc.finish();
        return new Rules(defaults, providers, common, schedules, maxDeferral, maxBlock, rotation);
    }

    private static PathLimits defaults(YamlMapping m, DeliverySettings d) {
        PathLimits limits = new PathLimits(
                m.integer("connections", d.maxConnectionsPerSite(), CONNECTIONS),
                m.read("message_rate", null, ShapingFileReader::rate),
                m.read("connection_rate", null, ShapingFileReader::rate),
                m.integer("deliveries_per_connection", d.maxDeliveriesPerConnection(), DELIVERIES),
                m.integer("recipients_per_transaction", d.maxRecipientsPerMessage(), RECIPIENTS),
                m.duration("idle_timeout", d.idleTimeout(), IDLE),
                m.choice("tls", OutboundTls.class, d.tls()));
        m.finish();
        return limits;
    }

    private static List<Provider> providers(YamlMapping doc) {
        List<YamlMapping> items = doc.mappingList("providers");
        if (items == null) {
            return List.of();
        }
        List<Provider> out = new ArrayList<>();
        List<ConfigName.Named> named = new ArrayList<>();
        Map<String, String> suffixOwner = new LinkedHashMap<>();
        for (YamlMapping m : items) {
            String name = ConfigName.required(m, "a unique provider name, shown in metrics and by sluice shaping");
            if ("default".equals(name)) {
                m.error("name", "default is the name of the limits no provider matches; choose another");
            }
            List<String> suffixes = suffixes(m, name, suffixOwner);
            GroupLimits perSite = group(m.mapping("per_site"));
            GroupLimits perSource = group(m.mapping("per_source"));
            YamlMapping totalMapping = m.mapping("total");
            if (totalMapping.isPresent("connection_rate")) {
                totalMapping.error("connection_rate", "not a total limit: connection_rate is per (source, site) or"
                        + " per_source (new connections are opened by each source)");
            }
            GroupLimits total = group(totalMapping);
            OutboundTls tls = m.choice("tls", OutboundTls.class, null);
            List<AutomationRule> automation = rules(m, "automation");
            m.finish();
            named.add(new ConfigName.Named(name, m));
            out.add(new Provider(name == null ? "?" : name, suffixes, perSite, perSource, total, tls, automation));
        }
        ConfigName.requireUnique(named);
        return out;
    }

    private static List<String> suffixes(YamlMapping m, String provider, Map<String, String> owner) {
        List<YamlMapping.Item> items = m.scalarList("mx_suffixes");
        List<String> out = new ArrayList<>();
        if (items == null) {
            if (!m.failed("mx_suffixes")) {
                m.error("mx_suffixes", "required: the MX host suffixes of the provider, e.g. [.google.com]");
            }
            return out;
        }
        if (items.isEmpty()) {
            m.error("mx_suffixes", "must list at least one MX host suffix, e.g. [.google.com]");
        }
        for (YamlMapping.Item item : items) {
            String s = item.text().toLowerCase(Locale.ROOT);
            s = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
            if (!SUFFIX.matcher(s).matches()) {
                m.error(item, item.text() + " is not a host name suffix (e.g. .google.com)");
                continue;
            }
            String before = owner.putIfAbsent(s, provider);
            if (before != null) {
                m.error(item, s + " is already a suffix of provider " + before);
            }
            out.add(s);
        }
        return out;
    }

    private static GroupLimits group(YamlMapping m) {
        GroupLimits limits = new GroupLimits(
                m.isPresent("connections") ? Integer.valueOf(m.integer("connections", 1, CONNECTIONS)) : null,
                m.read("message_rate", null, ShapingFileReader::rate),
                m.read("connection_rate", null, ShapingFileReader::rate),
                m.isPresent("deliveries_per_connection")
                        ? Integer.valueOf(m.integer("deliveries_per_connection", 1, DELIVERIES)) : null);
        m.finish();
        return limits;
    }

    private static List<AutomationRule> rules(YamlMapping parent, String key) {
        List<YamlMapping> items = parent.mappingList(key);
        if (items == null) {
            return List.of();
        }
        List<AutomationRule> out = new ArrayList<>();
        for (YamlMapping m : items) {
            Pattern pattern = m.read("match", null, ShapingFileReader::regex);
            if (pattern == null && !m.failed("match")) {
                m.error("match", "required: a regex on \"code enhanced-code text\" of a reply, e.g. '4\\.7\\.28'");
            }
            long[] trigger = m.read("trigger", new long[] {1, 0}, ShapingFileReader::trigger);
            Action action = action(m);
            if (action != null && action.bounce() && trigger[0] > 1) {
                m.error("trigger", "bounce acts on each matching reply: it takes no threshold (trigger: immediate)");
            }
            m.finish();
            if (pattern != null && action != null) {
                out.add(new AutomationRule(pattern.pattern(), pattern, (int) trigger[0],
                        Duration.ofMillis(trigger[1]), action));
            }
        }
        return out;
    }

    private static Action action(YamlMapping rule) {
        if (!rule.isPresent("action")) {
            rule.error("action", "required: bounce, {suspend: 2h}, {message_rate: 10/min, for: 30m} or"
                    + " {connections: 1, for: 1h}");
            return null;
        }
        if (rule.isScalar("action")) {
            return rule.read("action", null, raw -> {
                if (!raw.equals("bounce")) {
                    throw new IllegalArgumentException(raw + " is not an action: bounce, or a mapping such as"
                            + " {suspend: 2h}");
                }
                return new Action(false, true, null, 0, Duration.ZERO);
            });
        }
        YamlMapping m = rule.mapping("action");
        Duration suspend = m.duration("suspend", null, ACTION_FOR);
        Rate rate = m.read("message_rate", null, ShapingFileReader::rate);
        int connections = m.isPresent("connections") ? m.integer("connections", 1, CONNECTIONS) : 0;
        Duration duration = m.duration("for", null, ACTION_FOR);
        m.finish();
        if (m.failed("suspend") || m.failed("message_rate") || m.failed("connections") || m.failed("for")) {
            return null;
        }
        if (suspend != null) {
            if (rate != null || connections > 0 || duration != null) {
                rule.error("action", "suspend stands alone and takes its duration itself ({suspend: 2h})");
                return null;
            }
            return new Action(true, false, null, 0, suspend);
        }
        if (rate == null && connections == 0) {
            rule.error("action", "needs suspend, message_rate or connections");
            return null;
        }
        if (duration == null) {
            m.error("for", "required: how long the action lasts, e.g. 30m");
            return null;
        }
        return new Action(false, false, rate, connections, duration);
    }

    private static List<WarmupSchedule> warmup(YamlMapping m, List<Provider> providers) {
        List<YamlMapping> items = m.mappingList("schedules");
        m.finish();
        if (items == null) {
            return List.of();
        }
        Set<String> known = new HashSet<>();
        known.add("default");
        providers.forEach(p -> known.add(p.name()));
        List<WarmupSchedule> out = new ArrayList<>();
        List<ConfigName.Named> named = new ArrayList<>();
        for (YamlMapping s : items) {
            String name = ConfigName.required(s, "a unique schedule name that sources refer to");
            List<YamlMapping> days = s.mappingList("days");
            s.finish();
            named.add(new ConfigName.Named(name, s));
            List<WarmupSchedule.Day> steps = new ArrayList<>();
            if (days == null || days.isEmpty()) {
                if (!s.failed("days")) {
                    s.error("days", "required: at least one day, e.g. [{day: 1, default: 200}]");
                }
                continue;
            }
            int lastDay = 0;
            for (YamlMapping d : days) {
                int day = d.integer("day", 0, DAY);
                if (day == 0 && !d.failed("day")) {
                    d.error("day", "required: the day (1 = the source's start date) these caps apply from");
                } else if (day != 0 && day <= lastDay) {
                    d.error("day", day + " must come after day " + lastDay);
                }
                lastDay = Math.max(lastDay, day);
                Map<String, Long> caps = new LinkedHashMap<>();
                for (String key : d.keys()) {
                    if (key.equals("day")) {
                        continue;
                    }
                    long cap = d.number(key, -1, CAP);
                    if (!known.contains(key)) {
                        d.error(key, "no provider is named " + key + " (default, or a providers[].name)");
                    } else if (cap >= 0) {
                        caps.put(key, cap);
                    }
                }
                d.finish();
                steps.add(new WarmupSchedule.Day(day, caps));
            }
            out.add(new WarmupSchedule(name == null ? "?" : name, steps));
        }
        ConfigName.requireUnique(named);
        return out;
    }

    /** {@code N/s}, {@code N/min}, {@code N/h}, optionally followed by {@code burst B}. */
    static Rate rate(String raw) {
        Matcher m = RATE_BURST.matcher(raw.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(raw + " is not a rate (write N/s, N/min or N/h, optionally with"
                    + " burst B, e.g. 100/s burst 20)");
        }
        QuotaSettings.Rate r = QuotaSettings.Rate.parse(m.group(1));
        long burst = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
        if (burst < 1 || burst > 1_000_000) {
            throw new IllegalArgumentException(raw + ": burst must be 1-1000000");
        }
        return new Rate(r.count(), r.period(), (int) burst);
    }

    private static Pattern regex(String raw) {
        try {
            return Pattern.compile(raw, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regex: " + e.getDescription() + " at index "
                    + e.getIndex());
        }
    }

    /** {@code rotation}: {@code enabled} (default true), window, min_transactions, the two rates, cooldown. */
    private static ShapingSettings.Rotation rotation(YamlMapping m) {
        ShapingSettings.Rotation d = ShapingSettings.Rotation.DEFAULT;
        boolean enabled = m.bool("enabled", true);
        int window = m.integer("window", d.window(), Limits.range(10, 10_000, Long::toString));
        int min = m.integer("min_transactions", d.minTransactions(), Limits.range(1, 10_000, Long::toString));
        double deferral = m.read("max_deferral_rate", d.maxDeferralRate(), ShapingFileReader::share);
        double block = m.read("max_block_rate", d.maxBlockRate(), ShapingFileReader::share);
        Duration cooldown = m.duration("cooldown", d.cooldown(), Limits.range(1000, Duration.ofDays(1).toMillis(),
                ms -> Durations.format(Duration.ofMillis(ms))));
        m.finish();
        if (min > window && !m.failed("min_transactions")) {
            m.error("min_transactions", min + " is more than the window of " + window);
        }
        return enabled ? new ShapingSettings.Rotation(window, min, deferral, block, cooldown) : null;
    }

    /** A share from 0 to 1, e.g. {@code 0.05}. */
    private static double share(String raw) {
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(raw + " is not a number from 0 to 1, e.g. 0.05");
        }
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(raw + " is not a share from 0 to 1");
        }
        return v;
    }

    /** {@code immediate} = {1, 0}; {@code N/DURATION} = {N, millis}. */
    private static long[] trigger(String raw) {
        if (raw.equals("immediate")) {
            return new long[] {1, 0};
        }
        Matcher m = TRIGGER.matcher(raw);
        if (!m.matches()) {
            throw new IllegalArgumentException(raw + " is not a trigger: immediate, or N/DURATION such as 3/1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration window = Durations.parse(m.group(2));
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException(raw + ": the count must be 1-100000");
        }
        if (window.toMillis() < 1000 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(raw + ": the window must be 1s-1d");
        }
        return new long[] {n, window.toMillis()};
    }
}
