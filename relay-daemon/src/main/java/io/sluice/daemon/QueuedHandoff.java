package io.sluice.daemon;

import io.sluice.journal.QueuedListener;
import io.sluice.scheduler.Scheduler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks the construction cycle between the journal writer and the scheduler: the writer's options need a
 * {@link QueuedListener} before the scheduler (which needs the writer) exists. The daemon connects the scheduler
 * right after building it, before ingress opens, so no message is queued while unconnected.
 *
 * <p>Threading: {@link #queued} on the journal writer thread; {@link #connect} once, from the daemon's start thread
 * (volatile hand-over). Failure modes: a message queued while unconnected, or refused by a full scheduler queue
 * (counted by the scheduler), stays pending in the journal and is loaded again at the next start; the former is
 * logged because it means a wiring mistake.
 */
final class QueuedHandoff implements QueuedListener {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedHandoff.class);

    private volatile Scheduler scheduler;

    void connect(Scheduler target) {
        this.scheduler = target;
    }

    @Override
    public void queued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients) {
        Scheduler target = scheduler;
        if (target == null) {
            LOG.error("message {} queued before the scheduler was connected; delivered after the next restart", id);
            return;
        }
        target.offerQueued(id, bodiesIndex, receivedAtMillis, recipients);
    }
}
