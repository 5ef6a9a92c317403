package io.sluice.delivery;

import io.sluice.classify.Classifier;
import java.util.function.Supplier;
import io.sluice.events.TlsSession;
import io.sluice.config.DeliverySettings;
import io.sluice.dns.MxHost;
import io.sluice.dns.SiteKey;
import io.sluice.events.EventPublisher;
import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.journal.MessageIds;
import io.sluice.scheduler.DeliveryTask;
import io.sluice.scheduler.TaskResult;
import io.sluice.scheduler.TaskResult.SiteSignal;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * One delivery attempt of one {@link DeliveryTask}: walks the task's MX hosts in the given
 * order, each host's addresses in order, leasing a connection from the site's {@link ConnectionPool}, and sends
 * the message once on the first connection that opens.
 *
 * <p>Failover: any failure to open a session ({@link OutboundException}: refused, timeout, 421 greeting, EHLO
 * refused, {@code TLS_UNAVAILABLE}, ...) moves to the next address, then the next host. {@code TLS_FAILED} retries
 * the same address once in clear text and makes the site clear-text for a while ({@link ClearTextSites}). When
 * every address failed the result is {@link TaskResult#connectFailed} (so {@code SiteHealth} can act; a timeout on
 * any address makes it {@code CONNECT_TIMED_OUT}, which counts double) with the last failure as text. Once a session is
 * open, the transaction's outcome is final for this attempt (no next MX): per recipient via {@link RecipientResults},
 * signal CONNECTED.
 *
 * <p>Connections: a task never waits for a slot. The scheduler dispatched it within its path's concurrency window
 * (the path policy's one cap on deliveries in flight), and the lease is released before the result is reported,
 * so the pool always has room for it.
 *
 * <p>Events: when a session is leased, one {@code attempt} event per recipient (MX host, site, {@code source},
 * attempt number; latency = time from the start of this attempt to having the session, near 0 on a reused
 * connection); the result names the MX host and source so the scheduler's outcome events can, too. Every failed
 * recipient gets its bounce reason here ({@link FailureReasons}), before the path's reply rules. Publishing
 * never blocks and may drop. Failed connections publish nothing here: their text reaches the {@code deferred} event.
 *
 * <p>Order at the end, on every path: lease released (or discarded when unusable), body buffer released, then the
 * result handed to {@code done} exactly once. Threading: started on the body reader thread; continues on the
 * connections' event loops; never blocks.
 */
final class TaskDelivery {
    private final DeliveryTask task;
    private final OutboundMessage message;
    private final ConnectionPool pool;
    private final DeliverySettings settings;
    private final ClearTextSites<SiteKey> clearText;
    private final Consumer<TaskResult> done;
    private final EventPublisher events;
    private final String source;
    private final Supplier<Classifier> classifier;
    private final long startedAtMillis = System.currentTimeMillis();
    private int host;
    private int address;
    private boolean clearTextRetry;
    private String lastFailure = "no MX host address";
    /** Some address of this attempt timed out (connect or greeting): reported as CONNECT_TIMED_OUT. */
    private boolean timedOut;

    TaskDelivery(DeliveryTask task, OutboundMessage message, ConnectionPool pool, DeliverySettings settings,
                 ClearTextSites<SiteKey> clearText, Consumer<TaskResult> done, EventPublisher events,
                 String source, Supplier<Classifier> classifier) {
        this.task = task;
        this.message = message;
        this.pool = pool;
        this.settings = settings;
        this.clearText = clearText;
        this.done = done;
        this.events = events;
        this.source = source;
        this.classifier = classifier;
    }

    void start() {
        tryCurrent();
    }

    private void tryCurrent() {
        if (host >= task.hosts().size()) {
            String smarthost = task.site().smarthostName();
            finish(TaskResult.connectFailed(task, (smarthost != null ? "smarthost " + smarthost
                    + " took no connection: " : "no MX host of " + task.domain() + " took a connection: ")
                    + lastFailure, timedOut));
            return;
        }
        MxHost mx = task.hosts().get(host);
        InetSocketAddress target = new InetSocketAddress(mx.addresses().get(address), pool.port());
        boolean inClear = clearTextRetry || clearText.inClearText(task.site());
        CompletableFuture<Lease> leasing;
        try {
            leasing = pool.acquire(target, mx.name(), inClear);
        } catch (RuntimeException e) {
            leasing = CompletableFuture.failedFuture(e);
        }
        leasing.whenComplete((lease, error) -> {
            if (error == null) {
                send(lease);
            } else {
                connectFailed(unwrap(error));
            }
        });
    }

    private void connectFailed(Throwable error) {
        if (!(error instanceof OutboundException failure)) {
            finish(temporary("delivery stage unavailable: " + error));
            return;
        }
        lastFailure = failure.getMessage();
        timedOut |= failure.kind() == FailureKind.TIMEOUT;
        if (failure.kind() == FailureKind.TLS_FAILED && !clearTextRetry) {
            clearText.tlsFailed(task.site());
            clearTextRetry = true;
            tryCurrent();
            return;
        }
        clearTextRetry = false;
        address++;
        if (address >= task.hosts().get(host).addresses().size()) {
            address = 0;
            host++;
        }
        tryCurrent();
    }

    private void send(Lease lease) {
        String mxName = task.hosts().get(host).name();
        publishAttempts(mxName, lease.connection().tlsSession());
        CompletableFuture<TransactionResult> sending;
        try {
            sending = lease.connection().send(message);
        } catch (RuntimeException e) {
            sending = CompletableFuture.failedFuture(e);
        }
        sending.whenComplete((result, error) -> {
            if (error == null && lease.connection().isUsable()) {
                lease.release();
            } else {
                lease.discard();
            }
            if (error != null) {
                finish(new TaskResult(task.taskId(), SiteSignal.CONNECTED, RecipientResults.allTemporary(
                        task.recipientCount(), "send on " + lease.connection() + " failed: " + unwrap(error)),
                        mxName, source), null);
            } else {
                finish(new TaskResult(task.taskId(), SiteSignal.CONNECTED,
                        RecipientResults.from(result, settings.assumeDeliveredOnDotTimeout()), mxName, source,
                        lease.connection().tlsSession()), result);
            }
        });
    }

    /** One {@code attempt} event per recipient; never blocks, may drop. */
    private void publishAttempts(String mxName, TlsSession tls) {
        if (events == EventPublisher.NONE) {
            return;
        }
        long now = System.currentTimeMillis();
        String id = MessageIds.format(task.messageId());
        String site = task.site().toString();
        try {
            for (int i = 0; i < task.recipientCount(); i++) {
                events.publish(LifecycleEvent.delivery(EventType.ATTEMPT, now, id, task.recipients().get(i), site,
                        mxName, source, -1, null, null, task.attempt(i), now - startedAtMillis, tls));
            }
        } catch (RuntimeException e) { // a broken publisher must not cost the delivery
            LoggerFactory.getLogger(TaskDelivery.class).warn("attempt events for task {} not published",
                    task.taskId(), e);
        }
    }

    private TaskResult temporary(String text) {
        return new TaskResult(task.taskId(), SiteSignal.CONNECTED,
                RecipientResults.allTemporary(task.recipientCount(), text));
    }

    private void finish(TaskResult result) {
        finish(result, null);
    }

    /** {@code transaction}: the dialogue the result came from, null when none took place. */
    private void finish(TaskResult result, TransactionResult transaction) {
        message.body().release();
        // bounce reasons and the path's reply rules, both off the scheduler thread
        TaskResult classified;
        try {
            classified = FailureReasons.classify(result, transaction, classifier.get());
        } catch (RuntimeException e) { // a classifier fault must not cost the result: it goes unclassified
            LoggerFactory.getLogger(TaskDelivery.class).warn("classifying the replies of task {} failed",
                    task.taskId(), e);
            classified = result;
        }
        done.accept(ReplyRules.match(task.shape(), classified));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
