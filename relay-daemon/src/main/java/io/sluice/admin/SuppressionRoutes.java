package io.sluice.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The suppression list's admin routes (the CLI's {@code sluice suppress}), behind the bearer token, on the admin
 * worker thread:
 * <ul>
 *   <li>{@code POST} {@value #PATH} with a CSV body (at most {@link AdminServer#MAX_CONTENT_BYTES}; the CLI sends a
 *       large import in parts): adds the entries, fsynced before the 200 {@code {"added": N, "size": M}};
 *       {@code ?import=true} marks them imported.</li>
 *   <li>{@code POST} {@value #REMOVE} with a CSV body: removes those keys, {@code {"removed": N, "size": M}}.</li>
 *   <li>{@code GET} {@value #PATH}{@code [?address=A][&limit=N]}: the entries in force as CSV ({@code text/csv}),
 *       at most {@code limit} (1 to {@value #MAX_LIST}, default {@value #DEFAULT_LIST}).</li>
 * </ul>
 * A bad line is a 400 naming it (and nothing changed); a disk failure a 503. Stateless; thread-safe.
 */
public final class SuppressionRoutes {
    public static final String PATH = "/admin/suppression";
    public static final String REMOVE = "/admin/suppression/remove";
    public static final int DEFAULT_LIST = 100;
    public static final int MAX_LIST = 100_000;

    private SuppressionRoutes() {
    }

    public static List<Route> routes(SuppressionApi api) {
        Objects.requireNonNull(api, "api");
        return List.of(
                new Route(HttpMethod.POST, PATH, Route.Access.BEARER_TOKEN, Route.Execution.WORKER,
                        request -> change(api, request, true)),
                new Route(HttpMethod.POST, REMOVE, Route.Access.BEARER_TOKEN, Route.Execution.WORKER,
                        request -> change(api, request, false)),
                new Route(HttpMethod.GET, PATH, Route.Access.BEARER_TOKEN, Route.Execution.WORKER,
                        request -> list(api, request)));
    }

    private static AdminResponse change(SuppressionApi api, AdminRequest request, boolean add) {
        String csv = new String(request.body(), StandardCharsets.UTF_8);
        try {
            if (add) {
                int n = api.add(csv, "true".equals(parameter(request, "import")));
                return AdminApiRoutes.json(HttpResponseStatus.OK, "{\"added\":" + n + ",\"size\":" + api.size() + "}");
            }
            int n = api.remove(csv);
            return AdminApiRoutes.json(HttpResponseStatus.OK, "{\"removed\":" + n + ",\"size\":" + api.size() + "}");
        } catch (IllegalArgumentException e) {
            return AdminApiRoutes.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (IOException e) {
            return AdminApiRoutes.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "suppression list not changed: "
                    + e.getMessage());
        }
    }

    private static AdminResponse list(SuppressionApi api, AdminRequest request) {
        int limit = DEFAULT_LIST;
        String raw = parameter(request, "limit");
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIST) {
                return AdminApiRoutes.error(HttpResponseStatus.BAD_REQUEST, "limit must be 1 to " + MAX_LIST);
            }
        }
        try {
            byte[] csv = api.list(parameter(request, "address"), limit).getBytes(StandardCharsets.UTF_8);
            return new AdminResponse(HttpResponseStatus.OK, "text/csv; charset=utf-8", csv, java.util.Map.of());
        } catch (IOException e) {
            return AdminApiRoutes.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "suppression list not read: "
                    + e.getMessage());
        }
    }

    private static String parameter(AdminRequest request, String name) {
        List<String> values = request.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
