package io.sluice.bounce.intake;

import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.AppendCallback;
import io.sluice.journal.MessageSink;
import io.sluice.metrics.FeedbackMetrics;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@code role: feedback} listener hands each message (its {@link MessageSink}): bounces and complaint
 * reports are read, matched to what Sluice sent and acted on ({@link FeedbackMatcher}) before the session answers
 * 250, so a suppression entry a report causes is durable by then (docs/BOUNCES.md "Feedback intake").
 *
 * <p>One thread ({@code sluice-feedback}) takes messages from a bounded queue of {@value #QUEUE} in order: a full
 * queue refuses the offer, which the session answers {@code 451 4.3.0} (the sending MTA retries). For each message
 * the callback's {@code appended} runs once its work is done, also when it was ignored, unmatched or forged (those
 * are dropped and counted, never bounced: a bounce of a bounce is backscatter); {@code failed} only when the
 * suppression list could not be written, which the session answers with a temporary failure so the report comes
 * again. {@link #close} stops taking messages and finishes the queued ones.
 */
public final class FeedbackIntake implements MessageSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackIntake.class);
    static final int QUEUE = 64;

    private record Job(AcceptedMessage message, AppendCallback callback) {
    }

    private final FeedbackMatcher matcher;
    private final ArrayBlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;
    private volatile boolean running = true;

    private FeedbackIntake(FeedbackMatcher matcher) {
        this.matcher = matcher;
        this.thread = new Thread(this::run, "sluice-feedback");
        this.thread.setDaemon(true);
    }

    /** A started intake. */
    public static FeedbackIntake start(FeedbackMatcher matcher) {
        FeedbackIntake intake = new FeedbackIntake(matcher);
        intake.thread.start();
        return intake;
    }

    /** Under the intake's lock, so that nothing is queued once {@link #close} has decided to stop. */
    @Override
    public synchronized boolean offer(AcceptedMessage message, AppendCallback callback) {
        return running && queue.offer(new Job(message, callback));
    }

    private void run() {
        while (true) {
            Job job;
            try {
                job = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // nobody interrupts it; stop as close() would
                break;
            }
            if (job != null) {
                handle(job);
            } else if (!running && queue.isEmpty()) {
                break; // closed, and every queued message answered
            }
        }
        for (Job job; (job = queue.poll()) != null; ) { // only after an interrupt: the senders retry
            job.callback().failed(job.message(), new IllegalStateException("feedback intake stopped"));
        }
    }

    private void handle(Job job) {
        AcceptedMessage m = job.message();
        try {
            ByteBuffer body = m.body().duplicate();
            byte[] raw = new byte[body.remaining()];
            body.get(raw);
            matcher.take(m.id(), m.recipients(), raw, m.receivedAtMillis());
        } catch (java.io.IOException e) {
            LOG.error("feedback message {}: not taken (the sender will retry): {}", m.id(), e.toString());
            job.callback().failed(m, e);
            return;
        } catch (RuntimeException e) {
            LOG.error("feedback message {}: could not be read; dropped", m.id(), e);
            matcher.metrics().message(FeedbackMetrics.Result.UNPARSED);
        }
        job.callback().appended(m, -1);
    }

    /**
     * Stops taking messages and answers the queued ones first (waits at most 10 s). The thread is not interrupted:
     * an interrupt during the suppression list's fsync would close its file channel.
     */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            running = false;
        }
        thread.join(10_000);
    }
}
