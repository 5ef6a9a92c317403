package io.sluice.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.util.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin API's queue-steering routes, all {@code POST} (they change things), all behind the bearer token, all on
 * the admin worker thread, parameters in the query string like the read-only routes (the body is ignored):
 * <ul>
 *   <li>{@value #FLUSH}{@code [?domain=D | ?site=S]}: deferred mail comes due now (all when neither is given).</li>
 *   <li>{@value #SUSPEND}{@code ?domain=D | ?site=S [&for=DURATION]}: no new delivery starts for it.</li>
 *   <li>{@value #RESUME}{@code ?domain=D | ?site=S | ?provider=P [&source=NAME]}: a site's suspension and its
 *       shaping actions end, or a provider's shaping actions (docs/shaping.md), from one source or all.</li>
 *   <li>{@value #HOLD}{@code ?domain=D | ?id=ID} and {@value #RELEASE} the same.</li>
 *   <li>{@value #BOUNCE}{@code ?domain=D | ?id=ID &reason=TEXT [&dry_run=true]}.</li>
 * </ul>
 * A site is named by its key, the MX host names joined by commas as {@code sluice queue} shows it.
 *
 * <p>Answers 200 with the {@link AdminActions#act} JSON. Failures: a missing, doubled or malformed parameter is a
 * 400 with {@code {"error": "..."}}; no answer within {@value #ANSWER_TIMEOUT_MS} ms, a full command queue or a
 * failed write of the state is a 503 with the same shape. Limits: names {@value #MAX_NAME_CHARS} characters, reason
 * {@value #MAX_REASON_CHARS}, suspension up to {@value #MAX_SUSPEND_DAYS} days. Stateless; thread-safe.
 */
public final class QueueActionRoutes {
    public static final String FLUSH = "/admin/flush";
    public static final String SUSPEND = "/admin/suspend";
    public static final String RESUME = "/admin/resume";
    public static final String HOLD = "/admin/hold";
    public static final String RELEASE = "/admin/release";
    public static final String BOUNCE = "/admin/bounce";
    static final long ANSWER_TIMEOUT_MS = 10_000;
    static final int MAX_NAME_CHARS = 1024;
    static final int MAX_REASON_CHARS = 200;
    static final long MAX_SUSPEND_DAYS = 365;

    private QueueActionRoutes() {
    }

    /** The six routes, served by {@code actions}. */
    public static List<Route> routes(AdminActions actions) {
        Objects.requireNonNull(actions, "actions");
        return List.of(
                post(FLUSH, r -> act(actions, r, "flush", true, true, false)),
                post(SUSPEND, r -> act(actions, r, "suspend", false, true, false)),
                post(RESUME, r -> act(actions, r, "resume", false, true, false)),
                post(HOLD, r -> act(actions, r, "hold", false, false, true)),
                post(RELEASE, r -> act(actions, r, "release", false, false, true)),
                post(BOUNCE, r -> act(actions, r, "bounce", false, false, true)));
    }

    private static Route post(String path, RouteHandler handler) {
        return new Route(HttpMethod.POST, path, Route.Access.BEARER_TOKEN, Route.Execution.WORKER, handler);
    }

    private static AdminResponse act(AdminActions actions, AdminRequest request, String action, boolean allowAll,
                                     boolean siteNotId, boolean idNotSite) throws InterruptedException {
        QueueAction parsed;
        try {
            parsed = parse(request, action, allowAll, siteNotId, idNotSite);
        } catch (IllegalArgumentException e) {
            return AdminApiRoutes.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        var future = actions.act(parsed);
        try {
            return AdminApiRoutes.json(HttpResponseStatus.OK, future.get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return AdminApiRoutes.error(HttpResponseStatus.SERVICE_UNAVAILABLE, action + " not answered within "
                    + ANSWER_TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            return AdminApiRoutes.error(cause instanceof IllegalArgumentException
                    ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.SERVICE_UNAVAILABLE, action + ": " + message);
        }
    }

    static QueueAction parse(AdminRequest request, String action, boolean allowAll, boolean sites, boolean ids) {
        String domain = single(request, "domain");
        String site = sites ? single(request, "site") : null;
        String id = ids ? single(request, "id") : null;
        boolean resume = action.equals("resume");
        String provider = resume ? single(request, "provider") : null;
        String source = single(request, "source");
        if (source != null && (!resume || (site == null && provider == null))) {
            throw new IllegalArgumentException("only resume of a site or provider takes 'source'");
        }
        if (source != null && !source.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("source must be a source's name");
        }
        if (provider != null && !provider.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("provider must be a provider's name (conf/shaping.yaml)");
        }
        int given = (domain != null ? 1 : 0) + (site != null ? 1 : 0) + (id != null ? 1 : 0)
                + (provider != null ? 1 : 0);
        String choices = "domain" + (sites ? " or site" : "") + (ids ? " or id" : "") + (resume ? " or provider" : "");
        if (given > 1 || given == 0 && !allowAll) {
            throw new IllegalArgumentException(action + " takes exactly one of " + choices);
        }
        String scope = domain != null ? "domain" : site != null ? "site" : id != null ? "id"
                : provider != null ? "provider" : "all";
        String name = domain != null ? domain : site != null ? site : provider;
        if (name != null && (name.isEmpty() || name.length() > MAX_NAME_CHARS || name.contains("@")
                || name.chars().anyMatch(c -> c <= ' ' || c == 0x7f))) {
            throw new IllegalArgumentException(scope + " must be a name of 1 to " + MAX_NAME_CHARS
                    + " characters without '@', spaces or controls");
        }
        long messageId = 0;
        if (id != null) {
            try {
                messageId = AdminApiRoutes.parseId(id);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("id must be a message id of 16 hex digits");
            }
        }
        long forMillis = 0;
        String duration = single(request, "for");
        if (duration != null) {
            if (!action.equals("suspend")) {
                throw new IllegalArgumentException("only suspend takes 'for'");
            }
            Duration d;
            try {
                d = Durations.parse(duration);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("for must be a duration in " + Durations.UNITS + ", e.g. 2h");
            }
            if (d.isZero() || d.isNegative() || d.toDays() > MAX_SUSPEND_DAYS) {
                throw new IllegalArgumentException("for must be more than 0 and at most " + MAX_SUSPEND_DAYS + "d");
            }
            forMillis = d.toMillis();
        }
        String reason = single(request, "reason");
        boolean dryRun = "true".equals(single(request, "dry_run"));
        if (action.equals("bounce")) {
            if (reason == null || reason.isBlank() || reason.length() > MAX_REASON_CHARS
                    || reason.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("bounce needs a reason of 1 to " + MAX_REASON_CHARS
                        + " printable characters");
            }
        } else if (reason != null || dryRun) {
            throw new IllegalArgumentException("only bounce takes 'reason' and 'dry_run'");
        }
        return new QueueAction(action, scope, name, messageId, forMillis, reason, dryRun, source);
    }

    /** The one value of {@code name}, null when absent; doubled parameters are refused (which one would win?). */
    private static String single(AdminRequest request, String name) {
        Map<String, List<String>> parameters = request.parameters();
        List<String> values = parameters == null ? null : parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("parameter '" + name + "' given twice");
        }
        return values.get(0);
    }
}
