package io.sluice.bench.load;

import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link LoadReport} as the human-readable table printed by {@code load} without {@code --json}.
 * Pure; numbers use {@link Locale#ROOT} so output does not depend on the machine's locale.
 */
public final class TextReportFormat {

    private TextReportFormat() {
    }

    public static String format(LoadReport r, boolean allowRejects) {
        LoadSettings s = r.settings();
        StringBuilder out = new StringBuilder(1024);
        line(out, "target", r.target() + " (" + r.transport() + ", " + Math.min(s.threads(), s.connections())
                + " event-loop threads)");
        line(out, "mode", (s.openLoop() ? "open loop at " + num(s.ratePerSecond()) + " msg/s" : "closed loop")
                + ", " + s.connections() + " connections, " + s.perConnection() + " messages per connection");
        line(out, "pipelining", (s.pipelining() ? "requested" : "off") + ", used on " + r.pipelinedSessions()
                + " of " + r.sessions() + " sessions");
        line(out, "message", r.messageSizeBytes() + " bytes, " + s.recipients() + " recipient(s)");
        line(out, "messages", s.messages() + " measured + " + s.warmup() + " warm-up");
        line(out, "sent", Long.toString(r.sent()));
        line(out, "accepted", Long.toString(r.accepted()));
        line(out, "rejected", r.rejected() + codes(r.rejectsByCode()));
        if (r.recipientRejects() > 0) {
            line(out, "rcpt rejects", r.recipientRejects() + " (in otherwise accepted messages)");
        }
        line(out, "lost to conn", Long.toString(r.lostToConnection()));
        if (r.abandoned() > 0) {
            line(out, "abandoned", r.abandoned() + " (in progress at timeout)");
        }
        line(out, "unsent", Long.toString(r.unsent()));
        line(out, "conn errors", r.connectionErrors()
                + (r.lastConnectionError() == null ? "" : " (last: " + r.lastConnectionError() + ")"));
        line(out, "elapsed", String.format(Locale.ROOT, "%.3f s%s", r.elapsedSeconds(),
                r.timedOut() ? "  TIMED OUT after " + s.timeout().toMillis() / 1000.0 + " s" : ""));
        line(out, "throughput", num(r.acceptedPerSecond()) + " accepted/s (" + num(r.completedPerSecond())
                + " finished/s)");
        if (s.openLoop()) {
            line(out, "target rate", num(s.ratePerSecond()) + " msg/s "
                    + (Boolean.TRUE.equals(r.rateSustained()) ? "sustained" : "NOT SUSTAINED") + " (started "
                    + num(r.startedPerSecond()) + " msg/s, max start lag " + ms(r.maxStartLagMs()) + " ms)");
            line(out, "latency ms", latency(r.latency()) + "  (intended start -> 250, CO-corrected)");
            line(out, "ack ms", latency(r.ackLatency()) + "  (final dot -> 250)");
        } else {
            line(out, "latency ms", latency(r.latency()) + "  (final dot -> 250)");
        }
        line(out, "result", r.success(allowRejects) ? "OK" : "FAILED");
        return out.toString();
    }

    private static String codes(Map<Integer, Long> byCode) {
        if (byCode.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("  (");
        byCode.forEach((code, n) -> b.append(b.length() > 3 ? ", " : "").append(code).append(": ").append(n));
        return b.append(')').toString();
    }

    private static String latency(LatencySummary l) {
        return "p50 " + ms(l.p50Ms()) + "  p90 " + ms(l.p90Ms()) + "  p99 " + ms(l.p99Ms()) + "  p99.9 "
                + ms(l.p999Ms()) + "  max " + ms(l.maxMs());
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-13s %s%n", label, value));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
