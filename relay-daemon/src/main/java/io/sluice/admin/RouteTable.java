package io.sluice.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The admin server's routes and its access policy: exact path, then method, then the bearer-token check.
 *
 * <p>Contract: immutable once built; lookups are thread-safe. A path no route serves is a 404; a served path with
 * another method is a 405 with {@code Allow}. Routes with {@link Route.Access#BEARER_TOKEN} need
 * {@code Authorization: Bearer <token>} matching the configured {@link BearerToken}: without a configured token
 * they answer 403 (the API is off), with a missing or wrong token 401. Paths match exactly (no prefixes, no
 * patterns): the admin surface is small and a typo must not reach a neighbouring route.
 */
public final class RouteTable {
    private final Map<String, Map<HttpMethod, Route>> byPath;
    private final BearerToken token;

    private RouteTable(Map<String, Map<HttpMethod, Route>> byPath, BearerToken token) {
        this.byPath = byPath;
        this.token = token;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The route serving this method and path, or null. */
    public Route route(HttpMethod method, String path) {
        Map<HttpMethod, Route> methods = byPath.get(path);
        return methods == null ? null : methods.get(method);
    }

    /** The methods served at this path; empty when the path is unknown. */
    public Set<HttpMethod> methods(String path) {
        Map<HttpMethod, Route> methods = byPath.get(path);
        return methods == null ? Set.of() : methods.keySet();
    }

    /**
     * The response that refuses this request for lack of a route or of authorization, or null when {@code route}
     * may run.
     *
     * @param authorization the request's Authorization header, or null
     */
    AdminResponse refusal(HttpMethod method, String path, Route route, String authorization) {
        if (route == null) {
            Set<HttpMethod> allowed = methods(path);
            if (allowed.isEmpty()) {
                return AdminResponse.text(HttpResponseStatus.NOT_FOUND, "not found\n");
            }
            String allow = allowed.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
            return AdminResponse.text(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " not allowed on " + path + "\n")
                    .withHeader(HttpHeaderNames.ALLOW.toString(), allow);
        }
        if (route.access() == Route.Access.PUBLIC) {
            return null;
        }
        if (token == null) {
            return AdminResponse.text(HttpResponseStatus.FORBIDDEN,
                    "admin API disabled: no admin.token_file configured\n");
        }
        if (!token.matchesAuthorization(authorization)) {
            return AdminResponse.text(HttpResponseStatus.UNAUTHORIZED, "missing or wrong bearer token\n")
                    .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"sluice\"");
        }
        return null;
    }

    /** Collects routes; rejects a second route for the same method and path. */
    public static final class Builder {
        private final Map<String, Map<HttpMethod, Route>> byPath = new LinkedHashMap<>();
        private BearerToken token;

        private Builder() {
        }

        /** The token for {@link Route.Access#BEARER_TOKEN} routes; null (the default) turns those routes off. */
        public Builder bearerToken(BearerToken token) {
            this.token = token;
            return this;
        }

        public Builder add(Route route) {
            Map<HttpMethod, Route> methods = byPath.computeIfAbsent(route.path(), p -> new LinkedHashMap<>());
            if (methods.putIfAbsent(route.method(), route) != null) {
                throw new IllegalArgumentException("duplicate admin route " + route.method() + " " + route.path());
            }
            return this;
        }

        public RouteTable build() {
            Map<String, Map<HttpMethod, Route>> copy = new HashMap<>();
            byPath.forEach((path, methods) -> copy.put(path, Collections.unmodifiableMap(new LinkedHashMap<>(methods))));
            return new RouteTable(Collections.unmodifiableMap(copy), token);
        }
    }
}
