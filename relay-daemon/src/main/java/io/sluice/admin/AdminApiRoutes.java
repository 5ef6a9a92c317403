package io.sluice.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.util.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin API's read-only routes, all {@code GET}, all behind the bearer token, all answering JSON
 * ({@code application/json}), all on the admin worker thread (they wait for other stages):
 * <ul>
 *   <li>{@value #STATUS}: the {@link AdminApi#status} document.</li>
 *   <li>{@value #QUEUE}{@code [?domain=D][&limit=N]}: the {@link AdminApi#queue} document; {@code limit} 1 to
 *       {@value #MAX_QUEUE_ROWS}, default {@value #DEFAULT_QUEUE_ROWS}.</li>
 *   <li>{@value #INSPECT}{@code ?id=ID}: the {@link AdminApi#inspect} document; 404 when no pending message has
 *       that id. The id is a query parameter because the route table matches exact paths (a path parameter would
 *       need prefix routes, which could let a typo reach a neighbouring route).</li>
 *   <li>{@value #SHAPING}{@code ?domain=D}: the {@link AdminApi#shaping} document (an MX lookup, then the path
 *       policy and the actions in force).</li>
 *   <li>{@value #WARMUP}: the {@link AdminApi#warmup} document.</li>
 * </ul>
 *
 * <p>Failures: a bad parameter is a 400 and a missing message a 404, each with {@code {"error": "..."}}; an answer
 * that takes longer than {@value #ANSWER_TIMEOUT_MS} ms (the stage is stuck or stopping) or a refused request (too
 * many waiting) is a 503 with the same shape. Stateless; thread-safe.
 */
public final class AdminApiRoutes {
    public static final String STATUS = "/admin/status";
    public static final String QUEUE = "/admin/queue";
    public static final String INSPECT = "/admin/inspect";
    public static final String SHAPING = "/admin/shaping";
    public static final String WARMUP = "/admin/warmup";
    public static final int DEFAULT_QUEUE_ROWS = 100;
    public static final int MAX_QUEUE_ROWS = 1000;
    static final long ANSWER_TIMEOUT_MS = 5_000;
    /** Longest accepted {@code domain} parameter (RFC 1035 name length). */
    static final int MAX_DOMAIN_CHARS = 255;
    public static final String JSON = "application/json; charset=utf-8";

    private AdminApiRoutes() {
    }

    /** The five routes, served by {@code api}. */
    public static List<Route> routes(AdminApi api) {
        Objects.requireNonNull(api, "api");
        return List.of(
                get(STATUS, request -> json(HttpResponseStatus.OK, api.status())),
                get(QUEUE, request -> queue(api, request)),
                get(INSPECT, request -> inspect(api, request)),
                get(SHAPING, request -> shaping(api, request)),
                get(WARMUP, request -> json(HttpResponseStatus.OK, api.warmup())));
    }

    private static Route get(String path, RouteHandler handler) {
        return new Route(HttpMethod.GET, path, Route.Access.BEARER_TOKEN, Route.Execution.WORKER, handler);
    }

    private static AdminResponse queue(AdminApi api, AdminRequest request) throws InterruptedException {
        String domain = parameter(request, "domain");
        if (domain != null && (domain.isEmpty() || domain.length() > MAX_DOMAIN_CHARS || domain.contains("@"))) {
            return error(HttpResponseStatus.BAD_REQUEST, "domain must be a domain name of 1 to "
                    + MAX_DOMAIN_CHARS + " characters without '@'");
        }
        int limit = DEFAULT_QUEUE_ROWS;
        String rawLimit = parameter(request, "limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_QUEUE_ROWS) {
                return error(HttpResponseStatus.BAD_REQUEST, "limit must be 1 to " + MAX_QUEUE_ROWS);
            }
        }
        return await(api.queue(domain, limit), "queue");
    }

    private static AdminResponse shaping(AdminApi api, AdminRequest request) throws InterruptedException {
        String domain = parameter(request, "domain");
        if (domain == null || domain.isEmpty() || domain.length() > MAX_DOMAIN_CHARS || domain.contains("@")
                || domain.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return error(HttpResponseStatus.BAD_REQUEST, "domain must be a domain name of 1 to "
                    + MAX_DOMAIN_CHARS + " characters without '@' or spaces");
        }
        return await(api.shaping(domain.toLowerCase(java.util.Locale.ROOT)), "shaping");
    }

    private static AdminResponse inspect(AdminApi api, AdminRequest request) throws InterruptedException {
        String raw = parameter(request, "id");
        long id;
        try {
            id = parseId(raw);
        } catch (IllegalArgumentException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "id must be a message id of 16 hex digits");
        }
        AdminResponse answer = await(api.inspect(id), "inspect");
        if (answer == null) {
            return error(HttpResponseStatus.NOT_FOUND, "no pending message " + raw.toLowerCase(java.util.Locale.ROOT));
        }
        return answer;
    }

    /** The future's JSON as a 200, null when it completed with null, a 503 when it failed or timed out. */
    private static AdminResponse await(CompletableFuture<String> future, String what) throws InterruptedException {
        try {
            String body = future.get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return body == null ? null : json(HttpResponseStatus.OK, body);
        } catch (TimeoutException e) {
            future.cancel(false);
            return error(HttpResponseStatus.SERVICE_UNAVAILABLE, what + " not answered within "
                    + ANSWER_TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return error(HttpResponseStatus.SERVICE_UNAVAILABLE, what + " failed: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
        }
    }

    /**
     * 16 hex digits (either case), as message ids are printed. The journal's {@code MessageIds.parse} does the same,
     * but the admin package may not import the journal (the package dependency rule, docs/architecture.md "Packages").
     */
    static long parseId(String text) {
        if (text == null || text.length() != 16) {
            throw new IllegalArgumentException("not a message id: " + text);
        }
        long id = 0;
        for (int i = 0; i < 16; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("not a message id: " + text);
            }
            id = (id << 4) | digit;
        }
        return id;
    }

    private static String parameter(AdminRequest request, String name) {
        Map<String, List<String>> parameters = request.parameters();
        List<String> values = parameters == null ? null : parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static AdminResponse json(HttpResponseStatus status, String json) {
        return new AdminResponse(status, JSON, (json + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static AdminResponse error(HttpResponseStatus status, String message) {
        StringBuilder out = new StringBuilder("{\"error\":");
        JsonText.string(out, message).append('}');
        return json(status, out.toString());
    }
}
