package io.sluice.delivery;

import io.sluice.classify.Classifier;
import java.util.function.Supplier;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.config.DeliverySettings;
import io.sluice.dns.SiteKey;
import io.sluice.scheduler.ReadyKey;
import io.sluice.events.EventPublisher;
import io.sluice.journal.Journal;
import io.sluice.scheduler.DeliveryTask;
import io.sluice.scheduler.Dispatcher;
import io.sluice.scheduler.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery stage behind the scheduler's {@link Dispatcher} port (architecture.md "Delivery core", step 3).
 *
 * <p>Flow: {@link #dispatch} (scheduler thread) only counts the task and queues it; a dedicated body reader thread
 * ({@code sluice-body-reader}, never an event loop) reads the ACCEPTED record with a {@link BodyLoader} (sender and
 * body into a direct buffer) and starts a {@link TaskDelivery} on the pool of the task's ready queue ({@link ReadyKey}:
 * its source and site, so connections bind to that source's address and greet with its EHLO name), which continues on
 * the connections' event loops. Exactly one {@link TaskResult} per accepted task goes to {@code results} (e.g.
 * {@code scheduler::offerResult}).
 *
 * <p>Limits: at most {@code maxOutstanding} tasks accepted and not yet reported (queued, being read, or being
 * delivered), so at most that many bodies are in memory; beyond it {@link #dispatch} returns false ("try later").
 * Size it at or above the scheduler's {@code maxInFlight} to never refuse.
 *
 * <p>Failure modes: a body that cannot be read (record missing, journal error) makes every recipient TEMPORARY
 * (logged as an error; the scheduler retries and eventually expires it). A refused result offer is retried on
 * {@code timer} every 10 ms for up to 10 s, then logged as an error with the whole result: never dropped silently
 * (the scheduler reserves a slot per task in flight, so this should not happen). {@link #close()} stops taking
 * tasks, stops the reader and hands back tasks still queued untried
 * ({@link TaskResult#notAttempted}: no DEFERRED, no attempt counted); deliveries already started finish on their
 * own and report as usual ({@link #outstanding()} says how many are left).
 *

 * <p>Events: each {@link TaskDelivery} publishes one {@code attempt} event per recipient when it has a session
 * (to {@code events}; non-blocking, may drop), naming the task's source ({@code sources[].name}).
 *
 * <p>Threading: {@link #dispatch} on the scheduler thread (non-blocking); the rest is internal.
 */
public final class DeliveryDispatcher implements Dispatcher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);
    /** How long a site whose STARTTLS handshake failed is reached in clear text. */
    static final long CLEAR_TEXT_MEMORY_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final long OFFER_RETRY_MILLIS = 10;
    private static final int OFFER_RETRIES = 1000;
    /** An idle body reader lets go of deleted journal cycles this often (their space is freed only then). */
    private static final long IDLE_RELEASE_MS = 1000;

    private final Journal journal;
    private final ConnectionPools<ReadyKey> pools;
    private final DeliverySettings settings;
    private final ScheduledExecutorService timer;
    private final Predicate<TaskResult> results;
    private final ByteBufAllocator allocator;
    private final int maxOutstanding;
    private final EventPublisher events;
    private final Supplier<Classifier> classifier;
    private volatile ReturnPaths returnPaths = ReturnPaths.NONE;
    private final ArrayBlockingQueue<DeliveryTask> toRead;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final ClearTextSites<SiteKey> clearText = new ClearTextSites<>(CLEAR_TEXT_MEMORY_NANOS);
    private final Thread reader;
    private volatile boolean running;

    /**
     * @param journal        whose {@code bodies/} hold the tasks' ACCEPTED records; must stay open while running
     * @param pools          connection pools keyed by the task's ready queue (source, site)
     * @param settings       {@code delivery.*}: {@code mx_port}, {@code assume_delivered_on_dot_timeout}
     * @param timer          for retrying a refused result offer (an event loop group is fine)
     * @param results        where results go, e.g. {@code scheduler::offerResult}; false means "refused now"
     * @param allocator      for body buffers (direct; {@code PooledByteBufAllocator.DEFAULT} in the daemon)
     * @param maxOutstanding tasks accepted and not yet reported, at most
     */
    public DeliveryDispatcher(Journal journal, ConnectionPools<ReadyKey> pools, DeliverySettings settings,
                              ScheduledExecutorService timer, Predicate<TaskResult> results,
                              ByteBufAllocator allocator, int maxOutstanding) {
        this(journal, pools, settings, timer, results, allocator, maxOutstanding, EventPublisher.NONE);
    }

    /** As above, publishing {@code attempt} events to {@code events}; the built-in bounce rules classify. */
    public DeliveryDispatcher(Journal journal, ConnectionPools<ReadyKey> pools, DeliverySettings settings,
                              ScheduledExecutorService timer, Predicate<TaskResult> results,
                              ByteBufAllocator allocator, int maxOutstanding, EventPublisher events) {
        this(journal, pools, settings, timer, results, allocator, maxOutstanding, events, Classifier::builtIn);
    }

    /**
     * As above; {@code classifier} gives the current bounce classifier (a reload's rules apply to the attempts that
     * finish after it).
     */
    public DeliveryDispatcher(Journal journal, ConnectionPools<ReadyKey> pools, DeliverySettings settings,
                              ScheduledExecutorService timer, Predicate<TaskResult> results,
                              ByteBufAllocator allocator, int maxOutstanding, EventPublisher events,
                              Supplier<Classifier> classifier) {
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("maxOutstanding must be positive");
        }
        this.journal = Objects.requireNonNull(journal, "journal");
        this.pools = Objects.requireNonNull(pools, "pools");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.results = Objects.requireNonNull(results, "results");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.maxOutstanding = maxOutstanding;
        this.events = Objects.requireNonNull(events, "events");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.toRead = new ArrayBlockingQueue<>(maxOutstanding);
        this.reader = new Thread(this::readLoop, "sluice-body-reader");
        this.reader.setDaemon(true);
    }

    /**
     * The feedback loop's port: each attempt is told to it and takes the envelope sender it answers (a VERP return
     * path on VERP routes). Set before {@link #start}; {@link ReturnPaths#NONE} until then.
     */
    public DeliveryDispatcher returnPaths(ReturnPaths paths) {
        this.returnPaths = Objects.requireNonNull(paths, "paths");
        return this;
    }

    /** Starts the body reader thread. */
    public DeliveryDispatcher start() {
        running = true;
        reader.start();
        return this;
    }

    @Override
    public boolean dispatch(DeliveryTask task) {
        if (!running) {
            return false;
        }
        int n;
        do {
            n = outstanding.get(); // re-read: a report on another thread may have changed it since the last try
            if (n >= maxOutstanding) {
                return false;
            }
        } while (!outstanding.compareAndSet(n, n + 1));
        // Cannot fail: the queue holds maxOutstanding and outstanding counts every queued task.
        if (!toRead.offer(task)) {
            outstanding.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Tasks accepted and not yet reported. */
    public int outstanding() {
        return outstanding.get();
    }

    /**
     * Stops taking tasks and the reader thread (waiting for the task it is on), and hands back untried the tasks
     * still queued or waiting for a slot. Deliveries in progress go on and report; see {@link #outstanding()}.
     */
    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.interrupt();
        if (reader.isAlive()) {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        List<DeliveryTask> left = new ArrayList<>();
        toRead.drainTo(left);
        for (DeliveryTask task : left) {
            report(TaskResult.notAttempted(task));
        }
    }

    private void readLoop() {
        try (BodyLoader loader = new BodyLoader(journal, allocator)) {
            while (running) {
                DeliveryTask task;
                try {
                    task = toRead.poll(IDLE_RELEASE_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                if (task == null) {
                    loader.releaseDeleted(); // idle: a cycle the compactor deleted must not stay mapped (disk)
                    continue;
                }
                startDelivery(loader, task);
            }
        } catch (RuntimeException e) {
            LOG.error("body reader stopped", e);
        }
    }

    private void startDelivery(BodyLoader loader, DeliveryTask task) {
        OutboundMessage message;
        try {
            message = loader.load(task);
        } catch (BodyLoader.BodyUnavailableException | RuntimeException e) {
            LOG.error("cannot read message {} for task {}: {}", task.messageId(), task.taskId(), e.toString(), e);
            report(new TaskResult(task.taskId(), TaskResult.SiteSignal.CONNECTED,
                    RecipientResults.allTemporary(task.recipientCount(), "message body unreadable: " + e)));
            return;
        }
        ReturnPaths paths = returnPaths;
        String sender = paths == ReturnPaths.NONE ? message.sender()
                : paths.returnPath(task, message.sender(), message.body().nioBuffer());
        if (!sender.equals(message.sender())) {
            message = new OutboundMessage(sender, message.recipients(), message.body(), message.needsSmtpUtf8(),
                    message.eightBit(), message.size());
        }
        ConnectionPool pool;
        try {
            pool = pools.pool(task.poolKey());
        } catch (RuntimeException e) {
            message.body().release();
            report(TaskResult.notAttempted(task)); // the pools are closed: delivery is stopping
            return;
        }
        new TaskDelivery(task, message, pool, settings, clearText, this::report, events, task.source(),
                classifier).start();
    }

    private void report(TaskResult result) {
        outstanding.decrementAndGet();
        if (!results.test(result)) {
            retryOffer(result, 1);
        }
    }

    private void retryOffer(TaskResult result, int attempt) {
        if (attempt > OFFER_RETRIES) {
            LOG.error("RESULT LOST: scheduler refused the result of task {} for {} ms; its recipients stay pending "
                    + "in the journal until the next restart: {}", result.taskId(), OFFER_RETRIES * OFFER_RETRY_MILLIS,
                    result);
            return;
        }
        timer.schedule(() -> {
            if (!results.test(result)) {
                retryOffer(result, attempt + 1);
            }
        }, OFFER_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
}
