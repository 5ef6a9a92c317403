package io.sluice.admin;

import io.netty.handler.codec.http.HttpMethod;

import java.util.Objects;

/**
 * One entry of the admin {@link RouteTable}: method and exact path, who may call it, and where it runs.
 *
 * @param method    HTTP method
 * @param path      exact path, starting with {@code /}
 * @param access    whether a bearer token is required
 * @param execution which thread runs the handler
 * @param handler   the code
 */
public record Route(HttpMethod method, String path, Access access, Execution execution, RouteHandler handler) {

    /** Who may call a route. */
    public enum Access {
        /** Anyone who can reach loopback: probes and metrics, which reveal nothing sensitive. */
        PUBLIC,
        /** Only callers presenting the admin bearer token: the admin API that steers the daemon. */
        BEARER_TOKEN
    }

    /** Where a handler runs. */
    public enum Execution {
        /** Inline on the channel's event loop: only for handlers that do no I/O and take microseconds. */
        EVENT_LOOP,
        /**
         * On the admin server's single worker thread: anything that may block or take milliseconds (a scrape runs
         * JVM and callback collectors, a probe may stat the journal), so SMTP sessions sharing the loop never wait.
         */
        WORKER
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(handler, "handler");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + path);
        }
    }
}
