package io.sluice.scheduler;

import io.sluice.journal.QueuedListener;
import io.sluice.model.RouteInputs;
import io.sluice.util.OrderedBacklog;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each newly durable message from the journal writer to the scheduler without ever losing one
 * (docs/architecture.md "Hand-off to the scheduler never drops"): when the scheduler's inbox is full, the message waits
 * in an {@link OrderedBacklog} on the writer thread, and later messages queue behind it; the writer offers the backlog
 * again on every cycle ({@link #retryWaiting}), before the messages of its next commit. Memory: the backlog holds
 * acknowledged, pending messages, so ingress's {@code queue.max_pending_recipients} bounds it.
 *
 * <p>Also breaks the construction cycle between the journal writer and the scheduler: the writer's options need a
 * {@link QueuedListener} before the scheduler (which needs the writer) exists. The daemon connects the scheduler
 * right after building it, before ingress opens; messages queued before that (the wiring would be wrong) wait here
 * and go when it is connected.
 *
 * <p>Threading: {@link #queued}, {@link #retryWaiting} and {@link #waiting} on the journal writer thread;
 * {@link #connect} once, from the daemon's start thread (volatile hand-over). Allocates one entry per message only
 * while messages wait.
 */
public final class QueuedHandoff implements QueuedListener {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedHandoff.class);

    /** One message the scheduler could not take yet. */
    private record Waiting(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients,
                           RouteInputs routeInputs) {
    }

    private volatile Scheduler scheduler;
    private final OrderedBacklog<Waiting> waiting = new OrderedBacklog<>(this::offer);
    private boolean warnedUnconnected;

    /** Connects the scheduler; messages that waited for it go at the writer's next cycle. */
    public void connect(Scheduler target) {
        this.scheduler = target;
    }

    @Override
    public void queued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients) {
        queued(id, bodiesIndex, receivedAtMillis, recipients, RouteInputs.UNKNOWN);
    }

    @Override
    public void queued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients,
                       RouteInputs routeInputs) {
        Scheduler target = scheduler;
        if (!waiting.isEmpty() || target == null || !target.offerQueued(id, bodiesIndex, receivedAtMillis,
                recipients, routeInputs)) {
            waiting.add(new Waiting(id, bodiesIndex, receivedAtMillis, recipients, routeInputs));
        }
    }

    @Override
    public int retryWaiting() {
        return waiting.isEmpty() ? 0 : waiting.flush();
    }

    /** Messages waiting for room in the scheduler's inbox. Writer thread; a racy read from another thread. */
    public int waiting() {
        return waiting.size();
    }

    private boolean offer(Waiting w) {
        Scheduler target = scheduler;
        if (target == null) {
            if (!warnedUnconnected) {
                warnedUnconnected = true;
                LOG.error("message {} queued before the scheduler was connected; it waits for the connection", w.id());
            }
            return false;
        }
        return target.offerQueued(w.id(), w.bodiesIndex(), w.receivedAtMillis(), w.recipients(), w.routeInputs());
    }
}
