package io.sluice.events;

import io.sluice.util.IsoInstant;
import io.sluice.util.JsonText;
import java.util.List;

/**
 * Writes a {@link LifecycleEvent} as one JSON object (no line break inside), in a fixed field order so that log
 * lines are easy to read and to grep. Strings are escaped by {@link JsonText} (RFC 8259; control characters in
 * remote reply text become {@code \\u00XX}). Pure; thread-safe.
 */
public final class EventJson {

    private EventJson() {
    }

    public static void append(LifecycleEvent e, StringBuilder out) {
        out.append("{\"type\":\"").append(e.type().label()).append('"');
        IsoInstant.append(out.append(",\"time\":\""), e.timeMillis()).append('"');
        string(out, "id", e.id());
        string(out, "listener", e.listener());
        string(out, "client", e.client());
        string(out, "auth", e.authIdentity());
        string(out, "sender", e.sender());
        if (e.recipients() != null) {
            out.append(",\"recipients\":[");
            List<String> recipients = e.recipients();
            for (int i = 0; i < recipients.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                quoted(out, recipients.get(i));
            }
            out.append(']');
        }
        number(out, "size", e.sizeBytes());
        string(out, "recipient", e.recipient());
        string(out, "site", e.site());
        string(out, "mx", e.mxHost());
        string(out, "source", e.source());
        string(out, "route", e.route());
        string(out, "provider", e.provider());
        string(out, "pool", e.pool());
        number(out, "code", e.replyCode());
        string(out, "status", e.enhancedStatus());
        string(out, "text", e.text());
        string(out, "reason", e.reason());
        if (e.hard() != null) {
            out.append(",\"hard\":").append(e.hard().booleanValue());
        }
        number(out, "attempt", e.attempt());
        number(out, "latency_ms", e.latencyMillis());
        if (e.tls() != null) {
            string(out, "tls", e.tls().state());
            string(out, "tls_version", e.tls().version());
            string(out, "tls_cipher", e.tls().cipher());
        }
        string(out, "action", e.action());
        string(out, "target", e.target());
        string(out, "actor", e.actor());
        number(out, "count", e.count());
        out.append('}');
    }

    private static void string(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append(",\"").append(name).append("\":");
            quoted(out, value);
        }
    }

    private static void number(StringBuilder out, String name, long value) {
        if (value >= 0) {
            out.append(",\"").append(name).append("\":").append(value);
        }
    }

    private static void quoted(StringBuilder out, String s) {
        JsonText.string(out, s);
    }
}
