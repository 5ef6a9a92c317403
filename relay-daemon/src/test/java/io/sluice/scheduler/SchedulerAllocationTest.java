package io.sluice.scheduler;

import static io.sluice.scheduler.SchedulerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap allocated per message by the scheduler loop in steady state (house rule "no allocation per message in the hot
 * core"): a stream of one-recipient messages to a site that is already resolved, each offered, dispatched, reported
 * delivered and recorded, all on this thread, measured with {@code ThreadMXBean.getThreadAllocatedBytes}. Results
 * are built before measuring (the delivery stage makes them on its own threads). The figure goes to docs/jmh.md.
 */
class SchedulerAllocationTest {
    private static final int WARMUP = 20_000;
    private static final int MEASURED = 20_000;
    /**
     * The two hand-off objects and nothing else (measured 200 B with compressed oops): the Queued entry of the offer
     * (about 48 B, with the message's route inputs) and the DeliveryTask (about 72 B, with its ready key) with its
     * one-element recipient list (24 B) and two int[1] (24 B each). Anything the loop itself allocated per message
     * (route evaluation and the source pick included) would push it past this.
     */
    private static final long MAX_BYTES_PER_MESSAGE = 216;

    @TempDir
    Path dir;

    @Test
    void shouldAllocateOnlyTheHandOffObjectsPerMessageInSteadyState() throws Exception {
        try (SchedulerFixture f = new SchedulerFixture(dir, SchedulerFixture.options(1)).start()) {
            f.dns.mx("steady.test", 10, "mx.steady.test").a("mx.steady.test", "127.0.0.2");
            DeliveryTask[] last = new DeliveryTask[1];
            Scheduler s = new Scheduler(SchedulerFixture.options(1), f.policy, f.resolver, t -> {
                last[0] = t;
                return true;
            }, f.writer, BounceSink.NONE, f.clock::get, new Random(1), () -> { });
            List<String> rcpt = List.of("user@steady.test");
            TaskResult[] results = new TaskResult[WARMUP + MEASURED + 2];
            List<RecipientResult> delivered = List.of(RecipientResult.delivered());
            for (int i = 1; i < results.length; i++) {
                results[i] = new TaskResult(i, TaskResult.SiteSignal.CONNECTED, delivered, "mx.steady.test", "default");
            }

            assertThat(s.offerQueued(1, 1, T0, rcpt)).isTrue();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (last[0] == null) {
                s.doWork();
                assertThat(System.nanoTime()).as("first message resolved and dispatched").isLessThan(deadline);
                Thread.sleep(1);
            }
            assertThat(s.offerResult(results[1])).isTrue();
            run(s, last, results, 2, WARMUP);

            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(thread);
            run(s, last, results, WARMUP + 2, MEASURED);
            long bytes = threads.getThreadAllocatedBytes(thread) - before;

            double perMessage = (double) bytes / MEASURED;
            System.out.printf("scheduler steady state: %.1f bytes per message (%d messages)%n", perMessage,
                    MEASURED);
            assertThat(s.recorderBacklog()).isZero();
            assertThat(s.counters().inFlightRecipients()).isZero();
            assertThat(perMessage).isLessThanOrEqualTo(MAX_BYTES_PER_MESSAGE);
        }
    }

    /** Messages {@code from .. from+n-1}: offer, dispatch, report; the last result is drained too. */
    private static void run(Scheduler s, DeliveryTask[] last, TaskResult[] results, int from, int n) {
        List<String> rcpt = List.of("user@steady.test");
        for (int id = from; id < from + n; id++) {
            if (!s.offerQueued(id, id, T0, rcpt)) {
                throw new AssertionError("queue full at " + id);
            }
            s.doWork(); // the previous result, then this message: grouped, ready, dispatched
            if (last[0].taskId() != id) {
                throw new AssertionError("task " + id + " not dispatched: " + last[0]);
            }
            if (!s.offerResult(results[id])) {
                throw new AssertionError("result refused at " + id);
            }
        }
        s.doWork();
        while (s.recorderBacklog() > 0) {
            s.doWork();
            Thread.onSpinWait();
        }
    }
}
