package io.sluice.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.config.ReloadOutcome;
import io.sluice.util.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code POST /admin/reload}: reads the config file again and applies it if it is valid and needs no restart (what
 * {@code sluice reload}, systemd's {@code ExecReload} and SIGHUP do).
 *
 * <p>Bearer token always. Answers 200 with {@code {"applied":true|false,"errors":[...],"requiresRestart":[...]}}
 * whatever the outcome: the request worked, the body says whether the config did ({@code errors} are the loader's
 * {@code <file>:<line>: <key>: <problem>} lines, {@code requiresRestart} YAML key paths). The request body is
 * ignored. Runs on the admin worker: a reload reads files and builds TLS contexts.
 */
public final class ReloadRoute {
    public static final String PATH = "/admin/reload";
    public static final String JSON = "application/json; charset=utf-8";

    private ReloadRoute() {
    }

    public static Route route(Supplier<ReloadOutcome> reload) {
        Objects.requireNonNull(reload, "reload");
        return new Route(HttpMethod.POST, PATH, Route.Access.BEARER_TOKEN, Route.Execution.WORKER,
                request -> new AdminResponse(HttpResponseStatus.OK, JSON,
                        json(reload.get()).getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    /** The response body for {@code outcome}: one line of JSON. */
    static String json(ReloadOutcome outcome) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"applied\":").append(outcome.applied()).append(",\"errors\":");
        array(sb, outcome.errors());
        sb.append(",\"requiresRestart\":");
        array(sb, outcome.requiresRestart());
        return sb.append("}\n").toString();
    }

    private static void array(StringBuilder sb, List<String> items) {
        sb.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonText.string(sb, items.get(i));
        }
        sb.append(']');
    }
}
