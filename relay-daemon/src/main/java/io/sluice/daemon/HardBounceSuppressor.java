package io.sluice.daemon;

import io.sluice.metrics.BounceMetrics;
import io.sluice.model.BounceReason;
import io.sluice.scheduler.HardBounceSink;
import io.sluice.suppression.SuppressionEntry;
import io.sluice.suppression.SuppressionList;
import io.sluice.suppression.SuppressionScope;
import io.sluice.suppression.SuppressionSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts hard-bounced addresses on the suppression list (scope global, source {@code bounce}): the scheduler offers
 * them ({@link HardBounceSink}, never blocking; a full queue makes it keep them and offer again), and this thread
 * adds them in batches, one fsync per batch. An add that fails (disk trouble) is retried every second until it
 * succeeds; nothing is dropped. {@link #close()} adds what is queued before it returns.
 *
 * <p>The entry is durable shortly after the bounce's OUTCOME (it does not hold that record up); if the process dies
 * in between, the next message to the address bounces again and adds it then.
 */
final class HardBounceSuppressor implements HardBounceSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HardBounceSuppressor.class);
    private static final int CAPACITY = 65_536;
    private static final int BATCH = 4_096;

    private final SuppressionList list;
    private final BounceMetrics metrics;
    private final ManyToOneConcurrentArrayQueue<SuppressionEntry> queue = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code metrics}: counts each hard bounce by sender domain (null: not counted). */
    HardBounceSuppressor(SuppressionList list, BounceMetrics metrics) {
        this.list = list;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "sluice-suppression");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public boolean offer(String recipient, BounceReason reason, String senderDomain, long timeMillis) {
        SuppressionEntry e;
        try {
            e = new SuppressionEntry(recipient, SuppressionScope.GLOBAL, "", reason, SuppressionSource.BOUNCE,
                    timeMillis, 0);
        } catch (IllegalArgumentException bad) {
            if (metrics != null) {
                metrics.hardBounce(senderDomain);
            }
            return true; // not an address the list can hold (e.g. no '@'): nothing to suppress
        }
        if (!queue.offer(e)) {
            return false; // offered again later: counted then
        }
        if (metrics != null) {
            metrics.hardBounce(senderDomain);
        }
        LockSupport.unpark(thread);
        return true;
    }

    private void run() {
        List<SuppressionEntry> batch = new ArrayList<>();
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            if (batch.isEmpty()) {
                queue.drain(batch::add, BATCH);
            }
            if (batch.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            try {
                list.add(batch);
                batch.clear();
            } catch (IOException | RuntimeException e) {
                LOG.error("adding {} hard-bounced address(es) to the suppression list failed; retrying in 1 s",
                        batch.size(), e);
                if (!running) {
                    return; // stopping with a broken disk: the bounces' OUTCOMEs are durable; give up the adds
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
