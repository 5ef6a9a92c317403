package io.sluice.scheduler;

import io.sluice.config.ShapingSettings.Rate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The shaping actions in force (docs/shaping.md "Automation"), as the scheduler publishes them after every change
 * and as they are persisted across restarts in {@value #FILE_NAME} in the journal directory (like
 * {@link SteeringState}: a handful of lines replaced whole, written atomically: temp file, fsync, rename, fsync of
 * the directory). One action per line, tab-separated:
 * <pre>
 * action SOURCE TARGET SINCE_MS UNTIL_MS SUSPEND RATE CONNECTIONS MATCH REPLY
 * </pre>
 * TARGET is {@code provider NAME} or {@code site KEY}; RATE is {@code count/periodMillis/burst} or {@code -};
 * SUSPEND 1 or 0; CONNECTIONS 0 for none. An action whose end has passed is dropped when read; a malformed line fails
 * the read with its line number. Immutable.
 *
 * @param actions the actions, oldest first
 */
public record ShapingState(List<Entry> actions) {
    public static final String FILE_NAME = "shaping.state";
    public static final ShapingState EMPTY = new ShapingState(List.of());

    public ShapingState {
        actions = List.copyOf(actions);
    }

    /**
     * One action in force.
     *
     * @param source      the source whose path it applies to
     * @param target      {@code provider NAME} or {@code site KEY}
     * @param provider    the provider's name, or null for a site
     * @param sinceMillis when it was applied (epoch ms)
     * @param untilMillis when it ends by itself (epoch ms)
     * @param suspend     no deliveries start on the path
     * @param messageRate the path's message rate meanwhile, or null
     * @param connections the path's connection cap meanwhile, 0 for none
     * @param match       the rule's regex as written
     * @param reply       the reply that fired it
     */
    public record Entry(String source, String target, String provider, long sinceMillis, long untilMillis,
                        boolean suspend, Rate messageRate, int connections, String match, String reply) {
        /** {@code suspend}, {@code message_rate 10/min}, {@code connections 1}, or the last two. */
        public String describe() {
            return describe(suspend, messageRate, connections);
        }

        static String describe(boolean suspend, Rate messageRate, int connections) {
            if (suspend) {
                return "suspend";
            }
            StringBuilder sb = new StringBuilder();
            if (messageRate != null) {
                sb.append("message_rate ").append(messageRate);
            }
            if (connections > 0) {
                sb.append(sb.length() > 0 ? ", " : "").append("connections ").append(connections);
            }
            return sb.toString();
        }
    }

    /** The file's text. */
    public String text() {
        StringBuilder out = new StringBuilder("# sluice shaping actions in force; written by the daemon, do not edit"
                + "\n");
        for (Entry e : actions) {
            out.append("action\t").append(clean(e.source())).append('\t').append(clean(e.target())).append('\t')
                    .append(e.sinceMillis()).append('\t').append(e.untilMillis()).append('\t')
                    .append(e.suspend() ? 1 : 0).append('\t')
                    .append(e.messageRate() == null ? "-" : e.messageRate().count() + "/"
                            + e.messageRate().period().toMillis() + "/" + e.messageRate().burst())
                    .append('\t').append(e.connections()).append('\t').append(clean(e.match())).append('\t')
                    .append(clean(e.reply())).append('\n');
        }
        return out.toString();
    }

    private static String clean(String s) {
        return s == null || s.isEmpty() ? "-" : s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    /** Replaces {@code dir/}{@value #FILE_NAME} atomically and durably. */
    public void write(Path dir) throws IOException {
        io.sluice.util.AtomicFile.replace(dir, FILE_NAME, text());
    }

    /** Reads {@code dir/}{@value #FILE_NAME}; {@link #EMPTY} when there is none. Drops actions ended by now. */
    public static ShapingState read(Path dir, long nowMillis) throws IOException {
        List<Entry> entries = StateFileLines.read(dir, FILE_NAME, f -> {
            if (f.length != 10 || !f[0].equals("action")) {
                throw new IllegalArgumentException("expected: action SOURCE TARGET SINCE UNTIL SUSPEND RATE"
                        + " CONNECTIONS MATCH REPLY (tab-separated)");
            }
            long until = Long.parseLong(f[4]);
            if (until <= nowMillis) {
                return null; // ended while the daemon was down
            }
            Rate rate = null;
            if (!f[6].equals("-")) {
                String[] r = f[6].split("/");
                rate = new Rate(Long.parseLong(r[0]), Duration.ofMillis(Long.parseLong(r[1])), Integer.parseInt(r[2]));
            }
            String target = f[2];
            String provider = target.startsWith("provider ") ? target.substring("provider ".length()) : null;
            if (provider == null && !target.startsWith("site ")) {
                throw new IllegalArgumentException("target must be 'provider NAME' or 'site KEY': " + target);
            }
            return new Entry(f[1], target, provider, Long.parseLong(f[3]), until, f[5].equals("1"), rate,
                    Integer.parseInt(f[7]), f[8], f[9]);
        });
        return entries == null ? EMPTY : new ShapingState(entries);
    }
}
