package io.sluice.scheduler;

import io.sluice.events.EventPublisher;
import io.sluice.events.LifecycleEvent;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports smarthost breakers: one {@code circuit} event, one log line and a counter per transition (open,
 * half-open, closed), and a snapshot of every smarthost ({@link SmarthostStatus}) for {@code sluice status} and the
 * metrics, rebuilt on the scheduler thread when something changes and read from any thread. Also the two rules
 * about results that the scheduler's smarthost handling needs: what counts as a path failure, and how a deferral
 * names the breakers' states.
 */
final class SmarthostCircuits {
    private static final Logger LOG = LoggerFactory.getLogger(SmarthostCircuits.class);

    private final Smarthosts smarthosts;
    private final EventPublisher events;
    private volatile List<SmarthostStatus> snapshot = List.of();

    SmarthostCircuits(Smarthosts smarthosts, EventPublisher events) {
        this.smarthosts = smarthosts;
        this.events = events;
    }

    /**
     * Whether {@code r} says the path failed rather than the mail: no connection was made (refused, timed out,
     * greeted with 4xx/5xx, TLS or AUTH trouble), or the session broke before any server reply about the
     * recipients (every recipient temporary with Sluice's own text).
     */
    static boolean isPathFailure(TaskResult r) {
        return r.site() == TaskResult.SiteSignal.CONNECT_FAILED || r.site() == TaskResult.SiteSignal.CONNECT_TIMED_OUT
                || r.site() == TaskResult.SiteSignal.CONNECTED && r.allDeferred(false);
    }

    /** {@code r} with each temporary recipient's text followed by the route's smarthost states. */
    static TaskResult withState(TaskResult r, String states) {
        List<RecipientResult> out = new ArrayList<>(r.recipients().size());
        for (RecipientResult rr : r.recipients()) {
            out.add(rr.kind() != RecipientResult.Kind.TEMPORARY ? rr : RecipientResult.temporary(rr.code(),
                    rr.enhancedStatus(), rr.text() + " [smarthosts: " + states + "]", rr.local()));
        }
        return new TaskResult(r.taskId(), r.site(), out, r.mxHost(), r.source(), r.tls(), r.fired());
    }

    /** {@code h}'s breaker changed ({@code t}); {@code r} is the result that changed it, null for a probe start. */
    void transition(Smarthosts.Smarthost h, Smarthosts.Transition t, TaskResult r, long now) {
        String state = h.breaker.circuitState();
        String why = r == null ? "probe connection after the cooldown" : reason(r);
        switch (t) {
            case OPENED -> {
                h.opened++;
                LOG.warn("smarthost {} circuit open after {} failures: {}", h.name, h.breaker.consecutiveFailures(),
                        why);
            }
            case PROBE_FAILED -> LOG.warn("smarthost {} probe failed, circuit stays open: {}", h.name, why);
            case CLOSED -> {
                h.closed++;
                LOG.info("smarthost {} circuit closed: the probe got in", h.name);
            }
            case HALF_OPEN -> LOG.info("smarthost {} circuit half-open: probing", h.name);
            default -> {
                return;
            }
        }
        try {
            events.publish(LifecycleEvent.circuit(now, h.group.name, h.name, state,
                    h.breaker.consecutiveFailures(), why));
        } catch (RuntimeException e) { // a broken publisher must not stop the scheduler
            LOG.warn("circuit event for {} not published", h.name, e);
        }
        publish(now);
    }

    /** A result that changed no state: the snapshot is rebuilt only if the failure count it shows changed. */
    void counted(Smarthosts.Smarthost h, long now) {
        if (h.breaker.consecutiveFailures() != h.publishedFailures) {
            publish(now);
        }
    }

    /** Rebuilds the snapshot (a reload, an address found, a transition, a new failure count). Scheduler thread. */
    void publish(long now) {
        List<SmarthostStatus> next = new ArrayList<>();
        for (Smarthosts.Smarthost h : smarthosts.all()) {
            if (!h.inUse) {
                continue; // a reload removed it from every route
            }
            h.publishedFailures = h.breaker.consecutiveFailures();
            next.add(new SmarthostStatus(h.name, h.settings.host(), h.settings.port(),
                    h.hosts == null ? "unresolved" : h.breaker.circuitState(), h.breaker.consecutiveFailures(),
                    h.breaker.isDead() ? h.breaker.nextProbeAtMillis() : -1, h.unresolved, h.opened, h.closed));
        }
        next.sort(java.util.Comparator.comparing(SmarthostStatus::name));
        snapshot = List.copyOf(next);
    }

    /** Every smarthost as of its last change, by name. Any thread. */
    List<SmarthostStatus> snapshot() {
        return snapshot;
    }

    /** The text of the result's first recipient (the failure for a path failure), or the signal's name. */
    private static String reason(TaskResult r) {
        return r.recipients().isEmpty() ? r.site().name().toLowerCase(java.util.Locale.ROOT)
                : r.recipients().get(0).text();
    }
}
