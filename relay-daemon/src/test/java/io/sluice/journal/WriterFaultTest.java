package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 2: when the disk fills under a mapped journal page the JVM raises {@link InternalError} ("a fault
 * occurred in a recent unsafe memory access operation") on the writer thread, not necessarily inside the call that
 * touched the page. The writer must then fail the transaction waiting (its session answers 451 4.3.0), refuse new
 * ones, report the failure once, and still close promptly; before, the thread died and every later message, and
 * close(), waited for good. The fault is raised here from the append observer, which runs right after a record was
 * written, as a real SIGBUS may surface.
 */
@Timeout(60)
class WriterFaultTest {
    @TempDir
    Path dir;

    @Test
    void shouldFailWaitingMessagesAndCloseWhenAWriteFaults() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        JournalObserver faulting = new JournalObserver() {
            @Override
            public void onAppend(long appendNanos, int bodyBytes) {
                throw new InternalError("a fault occurred in a recent unsafe memory access operation");
            }
        };
        try (Journal journal = TestJournals.open(dir)) {
            JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                new WriterOptions().observer(faulting).failureListener(reported::add));
            TestJournals.Recorder first = new TestJournals.Recorder(1);
            assertThat(writer.offer(TestJournals.message(1, "first"), first)).isTrue();
            first.await();
            assertThat(first.failed.get(1L)).isInstanceOf(InternalError.class);
            assertThat(writer.failure()).isInstanceOf(InternalError.class);
            assertThat(reported).hasSize(1);

            TestJournals.Recorder second = new TestJournals.Recorder(1);
            boolean offered = writer.offer(TestJournals.message(2, "second"), second);
            assertThat(offered).as("a failed writer refuses new messages").isFalse();

            long start = System.nanoTime();
            writer.close();
            assertThat((System.nanoTime() - start) / 1_000_000).as("close ms").isLessThan(5_000);
            assertThat(reported).hasSize(1);
        }
    }
}
