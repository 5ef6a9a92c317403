package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The append path allocates only what the pending set retains per message (its entry and recipient block, plus
 * amortised map growth), and the idle loop allocates nothing. Measured on the writer thread itself.
 */
class WriterAllocationTest {
    @TempDir
    Path dir;

    @Test
    void shouldAllocateOnlyTheRetainedPendingStatePerMessage() throws Exception {
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicLong writerThreadId = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        AppendCallback counting = new AppendCallback() {
            @Override
            public void appended(AcceptedMessage m, long bodiesIndex) {
                writerThreadId.set(Thread.currentThread().getId());
                done.incrementAndGet();
            }

            @Override
            public void failed(AcceptedMessage m, Throwable cause) {
                throw new AssertionError(cause);
            }
        };
        List<AcceptedMessage> messages = new ArrayList<>();
        ByteBuffer body = ByteBuffer.allocateDirect(4096);
        List<String> recipients = List.of("someone@example.org", "other@example.net");
        for (int i = 0; i < 6000; i++) {
            messages.add(new AcceptedMessage(1_000_000 + i, 1, "main", "127.0.0.1", "helo", null,
                "sender@example.com", recipients, body.duplicate()));
        }
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions())) {
            offerAll(writer, messages.subList(0, 3000), counting, done, 3000);
            long before = threads.getThreadAllocatedBytes(writerThreadId.get());
            offerAll(writer, messages.subList(3000, 6000), counting, done, 6000);
            long perMessage = (threads.getThreadAllocatedBytes(writerThreadId.get()) - before) / 3000;
            // Retained per message: entry 48 + recipient block 56, plus the map's one doubling in this window
            // (~65 amortised): measured 170. Anything the encoders or Chronicle allocated would show here.
            assertThat(perMessage).isLessThan(200);

            long idleBefore = threads.getThreadAllocatedBytes(writerThreadId.get());
            Thread.sleep(300);
            assertThat(threads.getThreadAllocatedBytes(writerThreadId.get()) - idleBefore).isLessThan(1024);
        }
    }

    @Test
    void shouldNotAllocateWhenOfferingDeferralsOrOutcomes() throws Exception {
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        String reply = "4.7.1 <someone@example.org>: Recipient address rejected: greylisted, try again later é";
        AtomicInteger heard = new AtomicInteger();
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions()
                 .deferredListener((id, r, a, d, rec) -> heard.incrementAndGet())
                 .outcomeListener((id, r, o, rec) -> heard.incrementAndGet()))) {
            for (int i = 0; i < 200; i++) { // warm up (class loading, JIT of the encoder)
                offerBoth(writer, i, reply);
            }
            long before = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < 2000; i++) {
                offerBoth(writer, i, reply);
            }
            long allocated = threads.getThreadAllocatedBytes(self) - before;
            assertThat(allocated).as("bytes allocated by 4000 offers").isLessThan(4096);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (heard.get() < 4400 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(heard.get()).isEqualTo(4400);
        }
    }

    private static void offerBoth(JournalWriter writer, int i, String reply) {
        while (!writer.offerDeferred(1_000 + i, 0, 1 + i % 5, 1_790_000_000_000L + i, 451, reply)) {
            Thread.onSpinWait();
        }
        while (!writer.offerOutcome(1_000 + i, 0, OutcomeCode.DELIVERED, i)) {
            Thread.onSpinWait();
        }
    }

    private static void offerAll(JournalWriter writer, List<AcceptedMessage> batch, AppendCallback cb,
                                 AtomicInteger done, int target) throws InterruptedException {
        for (AcceptedMessage m : batch) {
            while (!writer.offer(m, cb)) {
                Thread.onSpinWait();
            }
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (done.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(done.get()).isEqualTo(target);
    }
}
