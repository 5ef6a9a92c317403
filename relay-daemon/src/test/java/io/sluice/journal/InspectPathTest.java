package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin {@code inspect} path on a real journal: {@link JournalWriter#inspect} copies a pending message on the
 * writer thread (recipients, pending flags, attempts and next due), answers null for an id that is not pending,
 * and {@link OutcomeLookup} finds the final outcome of each finished recipient in {@code state/}, stopping at the
 * message's QUEUED record.
 */
class InspectPathTest {
    private static final long DUE = 1_790_000_060_000L;

    @TempDir
    Path dir;

    @Test
    void shouldCopyThePendingMessageOnTheWriterThreadAndFindFinalOutcomes() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        TestJournals.Recorder recorder = new TestJournals.Recorder(2);
        try (Journal journal = TestJournals.open(dir);
             JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions()
                 .outcomeListener((id, rcpt, outcome, recorded) -> heard.add(id + "/" + rcpt))
                 .deferredListener((id, rcpt, attempts, due, recorded) -> heard.add(id + "/" + rcpt)))) {
            writer.offer(TestJournals.message(7, List.of("a@x.org", "b@y.org", "c@x.org", "d@z.org"),
                new byte[] {1, 2}), recorder);
            writer.offer(TestJournals.message(8, List.of("e@x.org"), new byte[] {3}), recorder);
            recorder.await();
            assertThat(writer.offerDeferred(7, 0, 2, DUE, 451, "greylisted")).isTrue();
            assertThat(writer.offerOutcome(7, 1, OutcomeCode.BOUNCED, 1)).isTrue();
            assertThat(writer.offerOutcome(8, 0, OutcomeCode.DELIVERED, 1)).isTrue();
            assertThat(writer.offerOutcome(7, 3, OutcomeCode.EXPIRED, 2)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 4);

            PendingView view = writer.inspect(7).get(5, TimeUnit.SECONDS);
            assertThat(view.id()).isEqualTo(7);
            assertThat(view.recipients()).containsExactly(
                new PendingView.Recipient("a@x.org", true, 2, DUE),
                new PendingView.Recipient("b@y.org", false, 0, 0),
                new PendingView.Recipient("c@x.org", true, 0, 0),
                new PendingView.Recipient("d@z.org", false, 0, 0));
            assertThat(writer.inspect(8).get(5, TimeUnit.SECONDS)).as("delivered in full").isNull();
            assertThat(writer.inspect(12345).get(5, TimeUnit.SECONDS)).as("never seen").isNull();

            assertThat(OutcomeLookup.find(journal, 7, 2, 1_000))
                .isEqualTo(Map.of(1, OutcomeCode.BOUNCED, 3, OutcomeCode.EXPIRED));
            assertThat(OutcomeLookup.find(journal, 7, 5, 1_000)).as("stops at QUEUED, not at the cap").hasSize(2);
            assertThat(OutcomeLookup.find(journal, 7, 2, 1)).as("the cap bounds the search; newest first")
                .isEqualTo(Map.of(3, OutcomeCode.EXPIRED));
        }
    }
}
