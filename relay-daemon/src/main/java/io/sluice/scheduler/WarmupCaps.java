package io.sluice.scheduler;

import io.sluice.config.ShapingSettings;
import io.sluice.config.SourceSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Warm-up of new source addresses (docs/shaping.md "Warm-up"): per source, a daily cap per provider from its
 * schedule's current day; a message placed on the source counts against today's cap of its site's provider
 * ({@code default} for sites no provider matches), and a source at its cap is skipped by the source choice, so the
 * pool's other sources take the mail (when every source is capped, the mail waits for the next UTC day). Day 1 is
 * the start date and lasts until it (a start in the future holds the source at day 1). Days are
 * UTC days; the schedule day advances at each new UTC day only if the day before stayed within the rules'
 * {@code max_deferral_rate} and {@code max_block_rate} (a transaction deferred whole by the next hop, or refused with
 * a 5.7.x policy status, counts), so a provider pushing back holds the ramp where it is. Past the schedule's last
 * day nothing is capped.
 *
 * <p>State is persisted ({@link WarmupState}, at most once a second while it changes, handed to the persister);
 * restored at start. Scheduler thread only, except {@link #snapshot}. Allocation: none per placement (hash lookups;
 * a provider's counter is made once a day).
 */
final class WarmupCaps {
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final long PERSIST_EVERY_MILLIS = 1_000;

    /** One warming source. */
    private static final class Source {
        final String name;
        ShapingSettings.WarmupSchedule schedule;
        LocalDate start;
        int day;
        long utcDay;
        long attempts;
        long deferred;
        long blocked;
        final Map<String, long[]> sent = new HashMap<>();

        Source(String name) {
            this.name = name;
        }
    }

    private final Map<String, Source> sources = new LinkedHashMap<>();
    private ShapingSettings.Rules rules;
    private Map<String, WarmupState.Source> restored = Map.of();
    private Consumer<WarmupState> persister = s -> { };
    private volatile WarmupState published = WarmupState.EMPTY;
    private boolean dirty;
    private long persistedAtMillis;
    /** The UTC day of the last publication. */
    private long publishedDay;

    /** Who writes the state (at most once a second while it changes). */
    void persistWith(Consumer<WarmupState> next) {
        this.persister = next;
    }

    /** Persisted progress to pick up (before {@link #change}: at start). */
    void restore(WarmupState state) {
        Map<String, WarmupState.Source> byName = new HashMap<>();
        for (WarmupState.Source s : state.sources()) {
            byName.put(s.source(), s);
        }
        this.restored = byName;
    }

    /**
     * The sources and rules of a reload (or the start): sources with a {@code warmup} are tracked (progress kept
     * while the schedule and start stay the same, else started again from the start date), others forgotten.
     */
    void change(List<SourceSettings> configured, ShapingSettings.Rules nextRules, long nowMillis) {
        this.rules = nextRules;
        Map<String, Source> kept = new LinkedHashMap<>(sources);
        sources.clear();
        long today = Math.floorDiv(nowMillis, MILLIS_PER_DAY);
        for (SourceSettings c : configured) {
            if (c.warmup() == null || nextRules == null || nextRules.schedule(c.warmup().schedule()) == null) {
                continue;
            }
            Source s = kept.get(c.name());
            boolean same = s != null && s.schedule.name().equals(c.warmup().schedule())
                    && s.start.equals(c.warmup().start());
            if (!same) {
                s = new Source(c.name());
                s.start = c.warmup().start();
                WarmupState.Source saved = restored.get(c.name());
                if (saved != null && saved.schedule().equals(c.warmup().schedule())
                        && saved.start().equals(c.warmup().start().toString())) {
                    s.day = saved.day();
                    s.utcDay = saved.utcDay();
                    s.attempts = saved.attempts();
                    s.deferred = saved.deferred();
                    s.blocked = saved.blocked();
                    for (Map.Entry<String, Long> e : saved.sent().entrySet()) {
                        s.sent.put(e.getKey(), new long[] {e.getValue()});
                    }
                } else { // day 1 on the start date (and before it); a start in the past counts the days since as good
                    s.day = (int) Math.max(1, Math.min(Integer.MAX_VALUE, today - c.warmup().start().toEpochDay() + 1));
                    s.utcDay = today;
                }
            }
            s.schedule = nextRules.schedule(c.warmup().schedule());
            sources.put(c.name(), s);
        }
        restored = Map.of();
        dirty = true;
        publish(nowMillis);
    }

    /**
     * True when {@code source} has reached today's cap for {@code provider} ({@code default} for a site no provider
     * matches): it must not take more of that provider's mail today. False for a source without warm-up.
     */
    boolean full(String source, String provider, long nowMillis) {
        if (sources.isEmpty()) {
            return false;
        }
        Source s = sources.get(source);
        if (s == null) {
            return false;
        }
        roll(s, nowMillis);
        long cap = s.schedule.cap(s.day, provider);
        if (cap < 0) {
            return false;
        }
        long[] n = s.sent.get(provider);
        return n != null && n[0] >= cap;
    }

    /** A message to {@code provider} was placed on {@code source}: it counts against today's cap. */
    void placed(String source, String provider, long nowMillis) {
        if (sources.isEmpty()) {
            return;
        }
        Source s = sources.get(source);
        if (s == null) {
            return;
        }
        roll(s, nowMillis);
        long[] n = s.sent.get(provider);
        if (n == null) {
            n = new long[1];
            s.sent.put(provider, n);
        }
        n[0]++;
        dirty = true;
    }

    /** A message placed on {@code source} was taken back before it was sent (a reload places it again): uncounted. */
    void unplaced(String source, String provider) {
        if (sources.isEmpty()) {
            return;
        }
        Source s = sources.get(source);
        long[] n = s == null ? null : s.sent.get(provider);
        if (n != null && n[0] > 0) {
            n[0]--;
            dirty = true;
        }
    }

    /** A transaction of {@code source} ended: counted for the day's deferral and block rates. */
    void attempted(String source, boolean deferredWhole, boolean blocked, long nowMillis) {
        if (sources.isEmpty()) {
            return;
        }
        Source s = sources.get(source);
        if (s == null) {
            return;
        }
        roll(s, nowMillis);
        s.attempts++;
        s.deferred += deferredWhole ? 1 : 0;
        s.blocked += blocked ? 1 : 0;
        dirty = true;
    }

    /** Epoch millis of the next UTC midnight: when capped mail is tried again. */
    static long nextUtcDay(long nowMillis) {
        return (Math.floorDiv(nowMillis, MILLIS_PER_DAY) + 1) * MILLIS_PER_DAY;
    }

    /**
     * Per cycle: persists (at most once a second) when something changed, and at a new UTC day (the days roll and
     * today's counts start at 0 even when no mail flows); returns 1 when it published.
     */
    int tick(long nowMillis) {
        if (!sources.isEmpty() && Math.floorDiv(nowMillis, MILLIS_PER_DAY) > publishedDay) {
            dirty = true;
        }
        if (!dirty || nowMillis - persistedAtMillis < PERSIST_EVERY_MILLIS) {
            return 0;
        }
        publish(nowMillis);
        return 1;
    }

    /** Publishes now if anything changed since the last publication (a clean stop). */
    void publishNow(long nowMillis) {
        if (dirty && !sources.isEmpty()) {
            publish(nowMillis);
        }
    }

    /** The progress as of the last persist (status, metrics). Any thread. */
    WarmupState snapshot() {
        return published;
    }

    /** A new UTC day: the schedule day advances by the days passed, less one if the day before went badly. */
    private void roll(Source s, long nowMillis) {
        long today = Math.floorDiv(nowMillis, MILLIS_PER_DAY);
        if (today <= s.utcDay) {
            return;
        }
        boolean good = s.attempts == 0 || (s.deferred <= rules.maxDeferralRate() * s.attempts
                && s.blocked <= rules.maxBlockRate() * s.attempts);
        long days = today - Math.max(s.utcDay, s.start.toEpochDay()); // days before the start date do not count
        if (days > 0) {
            s.day = (int) Math.max(1, Math.min(Integer.MAX_VALUE, s.day + (good ? days : days - 1)));
        }
        s.utcDay = today;
        s.attempts = 0;
        s.deferred = 0;
        s.blocked = 0;
        s.sent.clear();
        dirty = true;
    }

    private void publish(long nowMillis) {
        List<WarmupState.Source> out = new ArrayList<>(sources.size());
        for (Source s : sources.values()) {
            roll(s, nowMillis);
            Map<String, Long> sent = new LinkedHashMap<>();
            s.sent.forEach((p, n) -> sent.put(p, n[0]));
            Map<String, Long> caps = new LinkedHashMap<>();
            ShapingSettings.WarmupSchedule.Day step = s.schedule.step(s.day);
            if (step != null) {
                caps.putAll(step.caps());
            }
            out.add(new WarmupState.Source(s.name, s.schedule.name(), s.start.toString(), s.day, s.utcDay,
                    s.attempts, s.deferred, s.blocked, sent, caps, step == null));
        }
        WarmupState next = new WarmupState(out);
        published = next;
        publishedDay = Math.floorDiv(nowMillis, MILLIS_PER_DAY);
        persister.accept(next);
        dirty = false;
        persistedAtMillis = nowMillis;
    }
}
