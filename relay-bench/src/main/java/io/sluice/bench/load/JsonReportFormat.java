package io.sluice.bench.load;

import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link LoadReport} as one JSON object on one line (for {@code --json}, scripts and BENCHMARKS.md
 * tooling). Keys are stable: target, transport, mode, ratePerSecond, connections, perConnection, threads,
 * pipeliningRequested, sessions, pipelinedSessions, messageSizeBytes, recipients, messages, warmup, sent,
 * accepted, rejected, rejectsByCode (object, code to count), recipientRejects, lostToConnection, abandoned, unsent,
 * connectionErrors, lastConnectionError, timedOut, elapsedSeconds, acceptedPerSecond, completedPerSecond, and for
 * open loop startedPerSecond, rateSustained, maxStartLagMs, ackLatencyMs; latencyMs (count, p50, p90, p99, p999,
 * max, mean); success. Pure.
 */
public final class JsonReportFormat {

    private JsonReportFormat() {
    }

    public static String format(LoadReport r, boolean allowRejects) {
        LoadSettings s = r.settings();
        StringBuilder out = new StringBuilder(1024).append('{');
        str(out, "target", r.target());
        str(out, "transport", r.transport());
        str(out, "mode", s.openLoop() ? "open" : "closed");
        num(out, "ratePerSecond", s.ratePerSecond());
        num(out, "connections", s.connections());
        num(out, "perConnection", s.perConnection());
        num(out, "threads", Math.min(s.threads(), s.connections()));
        raw(out, "pipeliningRequested", Boolean.toString(s.pipelining()));
        num(out, "sessions", r.sessions());
        num(out, "pipelinedSessions", r.pipelinedSessions());
        num(out, "messageSizeBytes", r.messageSizeBytes());
        num(out, "recipients", s.recipients());
        num(out, "messages", s.messages());
        num(out, "warmup", s.warmup());
        num(out, "sent", r.sent());
        num(out, "accepted", r.accepted());
        num(out, "rejected", r.rejected());
        StringBuilder codes = new StringBuilder("{");
        for (Map.Entry<Integer, Long> e : r.rejectsByCode().entrySet()) {
            codes.append(codes.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":")
                    .append(e.getValue());
        }
        raw(out, "rejectsByCode", codes.append('}').toString());
        num(out, "recipientRejects", r.recipientRejects());
        num(out, "lostToConnection", r.lostToConnection());
        num(out, "abandoned", r.abandoned());
        num(out, "unsent", r.unsent());
        num(out, "connectionErrors", r.connectionErrors());
        if (r.lastConnectionError() == null) {
            raw(out, "lastConnectionError", "null");
        } else {
            str(out, "lastConnectionError", r.lastConnectionError());
        }
        raw(out, "timedOut", Boolean.toString(r.timedOut()));
        num(out, "elapsedSeconds", r.elapsedSeconds());
        num(out, "acceptedPerSecond", r.acceptedPerSecond());
        num(out, "completedPerSecond", r.completedPerSecond());
        if (s.openLoop()) {
            num(out, "startedPerSecond", r.startedPerSecond());
            raw(out, "rateSustained", String.valueOf(r.rateSustained()));
            num(out, "maxStartLagMs", r.maxStartLagMs());
            raw(out, "ackLatencyMs", latency(r.ackLatency()));
        }
        raw(out, "latencyMs", latency(r.latency()));
        raw(out, "success", Boolean.toString(r.success(allowRejects)));
        return out.append('}').toString();
    }

    private static String latency(LatencySummary l) {
        StringBuilder b = new StringBuilder("{");
        num(b, "count", l.count());
        num(b, "p50", l.p50Ms());
        num(b, "p90", l.p90Ms());
        num(b, "p99", l.p99Ms());
        num(b, "p999", l.p999Ms());
        num(b, "max", l.maxMs());
        num(b, "mean", l.meanMs());
        return b.append('}').toString();
    }

    private static void num(StringBuilder out, String key, long value) {
        raw(out, key, Long.toString(value));
    }

    private static void num(StringBuilder out, String key, double value) {
        raw(out, key, Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null");
    }

    private static void str(StringBuilder out, String key, String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        raw(out, key, quoted.append('"').toString());
    }

    private static void raw(StringBuilder out, String key, String json) {
        if (out.length() > 1) {
            out.append(',');
        }
        out.append('"').append(key).append("\":").append(json);
    }
}
