package io.sluice.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Objects;

/**
 * The liveness and readiness routes for systemd, load balancers and orchestrators.
 *
 * <p>{@code GET /healthz}: 200 {@code ok} for as long as the process serves HTTP. It runs on the event loop on
 * purpose: an answer proves the shared loop is turning, and it must not queue behind a slow scrape.
 *
 * <p>{@code GET /readyz}: 200 {@code ready} when the {@link ReadinessProbe} returns null, else 503 with its reason
 * (cut to {@value #MAX_REASON_CHARS} characters). A probe that throws counts as not ready. A second probe gives a
 * warning that does not make the daemon unready (DNS failing: mail is still accepted, and deferred); it is added
 * to the 200 body as {@code ready; warning: <text>}. Runs on the worker.
 */
public final class HealthRoutes {
    public static final String HEALTHZ = "/healthz";
    public static final String READYZ = "/readyz";
    static final int MAX_REASON_CHARS = 200;

    private HealthRoutes() {
    }

    public static Route healthz() {
        return new Route(HttpMethod.GET, HEALTHZ, Route.Access.PUBLIC, Route.Execution.EVENT_LOOP,
                request -> AdminResponse.text(HttpResponseStatus.OK, "ok"));
    }

    public static Route readyz(ReadinessProbe probe) {
        return readyz(probe, () -> null);
    }

    /**
     * {@code /readyz} with a warning: while ready, a non-null {@code warning} (e.g. "DNS failing: ...") is added to
     * the 200 body as {@code ready; warning: <text>}, cut like a reason. A warning that throws is left out.
     */
    public static Route readyz(ReadinessProbe probe, ReadinessProbe warning) {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(warning, "warning");
        return new Route(HttpMethod.GET, READYZ, Route.Access.PUBLIC, Route.Execution.WORKER,
                request -> readiness(probe, warning));
    }

    private static AdminResponse readiness(ReadinessProbe probe, ReadinessProbe warning) {
        String reason;
        try {
            reason = probe.notReadyReason();
        } catch (RuntimeException e) {
            reason = "readiness probe failed: " + e;
        }
        if (reason == null) {
            String warn;
            try {
                warn = warning.notReadyReason();
            } catch (RuntimeException e) {
                warn = null;
            }
            return AdminResponse.text(HttpResponseStatus.OK, warn == null ? "ready"
                    : "ready; warning: " + (warn.length() > MAX_REASON_CHARS ? warn.substring(0, MAX_REASON_CHARS)
                    : warn));
        }
        if (reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS);
        }
        return AdminResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE, reason);
    }
}
