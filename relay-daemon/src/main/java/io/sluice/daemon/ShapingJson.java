package io.sluice.daemon;

import io.sluice.scheduler.ShapingState;
import io.sluice.util.JsonText;

/**
 * The shaping actions in force as JSON, for {@code status} and {@code queue}: an array of
 * {@code {"source", "target", "provider", "action", "since_millis", "until_millis", "match", "reply"}}
 * ({@code provider} null for a site no provider matches). Stateless.
 */
final class ShapingJson {
    private ShapingJson() {
    }

    static StringBuilder actions(StringBuilder out, ShapingState state) {
        out.append('[');
        String comma = "";
        for (ShapingState.Entry a : state.actions()) {
            out.append(comma).append("{\"source\":");
            JsonText.string(out, a.source()).append(",\"target\":");
            JsonText.string(out, a.target()).append(",\"provider\":");
            JsonText.string(out, a.provider()).append(",\"action\":");
            JsonText.string(out, a.describe()).append(",\"since_millis\":").append(a.sinceMillis())
                    .append(",\"until_millis\":").append(a.untilMillis()).append(",\"match\":");
            JsonText.string(out, a.match()).append(",\"reply\":");
            JsonText.string(out, a.reply()).append('}');
            comma = ",";
        }
        return out.append(']');
    }
}
