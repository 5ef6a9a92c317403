package io.sluice.scheduler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warm-up progress per source (docs/shaping.md "Warm-up"), as the scheduler publishes it and as it is persisted in
 * {@value #FILE_NAME} in the journal directory (replaced whole, atomically; at most once a second while it changes,
 * so a crash forgets at most the last second's counts). One line per source, tab-separated:
 * <pre>
 * source NAME SCHEDULE START DAY UTC_DAY ATTEMPTS DEFERRED BLOCKED PROVIDER=SENT,PROVIDER=SENT...
 * </pre>
 * DAY is the schedule day reached (from 1); UTC_DAY the epoch day the counts are for. A malformed line fails the
 * read with its line number. Immutable.
 *
 * @param sources one entry per warming source
 */
public record WarmupState(List<Source> sources) {
    public static final String FILE_NAME = "warmup.state";
    public static final WarmupState EMPTY = new WarmupState(List.of());

    public WarmupState {
        sources = List.copyOf(sources);
    }

    /**
     * One warming source's progress.
     *
     * @param source   its name
     * @param schedule its schedule's name
     * @param start    day 1 (ISO date)
     * @param day      the schedule day reached, from 1
     * @param utcDay   the epoch day the counts are for
     * @param attempts transactions counted that day (for the deferral and block rates)
     * @param deferred of which deferred whole by the next hop
     * @param blocked  of which refused for policy (5xx 5.7.x)
     * @param sent     messages placed that day per provider ({@code default} for the rest)
     * @param caps     that day's cap per provider (-1: none), for status; not persisted
     * @param complete past the schedule's last day: nothing is capped
     */
    public record Source(String source, String schedule, String start, int day, long utcDay, long attempts,
                         long deferred, long blocked, Map<String, Long> sent, Map<String, Long> caps,
                         boolean complete) {
        public Source {
            sent = Map.copyOf(sent);
            caps = Map.copyOf(caps);
        }
    }

    /** The file's text. */
    public String text() {
        StringBuilder out = new StringBuilder("# sluice warm-up progress; written by the daemon, do not edit\n");
        for (Source s : sources) {
            out.append("source\t").append(s.source()).append('\t').append(s.schedule()).append('\t').append(s.start())
                    .append('\t').append(s.day()).append('\t').append(s.utcDay()).append('\t').append(s.attempts())
                    .append('\t').append(s.deferred()).append('\t').append(s.blocked()).append('\t');
            String comma = "";
            for (Map.Entry<String, Long> e : new java.util.TreeMap<>(s.sent()).entrySet()) {
                out.append(comma).append(e.getKey()).append('=').append(e.getValue());
                comma = ",";
            }
            out.append(comma.isEmpty() ? "-" : "").append('\n');
        }
        return out.toString();
    }

    /** Replaces {@code dir/}{@value #FILE_NAME} atomically and durably. */
    public void write(Path dir) throws IOException {
        io.sluice.util.AtomicFile.replace(dir, FILE_NAME, text());
    }

    /** Reads {@code dir/}{@value #FILE_NAME}; {@link #EMPTY} when there is none. */
    public static WarmupState read(Path dir) throws IOException {
        List<Source> sources = StateFileLines.read(dir, FILE_NAME, f -> {
            if (f.length != 10 || !f[0].equals("source")) {
                throw new IllegalArgumentException("expected: source NAME SCHEDULE START DAY UTC_DAY ATTEMPTS"
                        + " DEFERRED BLOCKED SENT (tab-separated)");
            }
            Map<String, Long> sent = new LinkedHashMap<>();
            if (!f[9].equals("-")) {
                for (String kv : f[9].split(",")) {
                    int eq = kv.indexOf('=');
                    sent.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
                }
            }
            return new Source(f[1], f[2], f[3], Integer.parseInt(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                    Long.parseLong(f[7]), Long.parseLong(f[8]), sent, Map.of(), false);
        });
        return sources == null ? EMPTY : new WarmupState(sources);
    }
}
