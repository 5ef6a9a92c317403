package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The received time of a pending message survives a restart exactly (QUEUED version 2, CHECKPOINT version 3), so
 * {@code max_age} counts from acceptance, not from the journal's open; records of older versions get the id's
 * time floor.
 */
class ReceivedTimeRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void shouldRecoverTheExactReceivedTimeByFullReplayAndFromACheckpoint() throws Exception {
        List<Long> ids = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        try (Journal journal = TestJournals.open(dir)) {
            java.util.concurrent.CountDownLatch checkpointed = new java.util.concurrent.CountDownLatch(1);
            JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
                new WriterOptions().checkpointOnClose(false).observer(new JournalObserver() {
                    @Override
                    public void onCheckpoint(long nanos, long messages, long recipients) {
                        checkpointed.countDown();
                    }
                }));
            for (int i = 0; i < 6; i++) {
                if (i == 3) {
                    writer.requestCheckpoint(); // three before the checkpoint, three in the tail after it
                    assertThat(checkpointed.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                }
                long id = journal.nextMessageId();
                // Nine days before the id's floor: what a long-running daemon has after a restart.
                long receivedAt = MessageIds.timeFloorMillis(id) - 9L * 86_400_000 + 1234 * i;
                ids.add(id);
                times.add(receivedAt);
                TestJournals.Recorder recorder = new TestJournals.Recorder(1);
                writer.offer(new AcceptedMessage(id, receivedAt, "main", "127.0.0.1", "helo", null, "s@x.org",
                    List.of("r@x.org"), ByteBuffer.wrap(new byte[] {1, 2, 3})), recorder);
                recorder.await();
            }
            writer.close();
        }
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult fromCheckpoint = Recovery.recover(journal);
            RecoveryResult full = Recovery.replayAll(journal);
            assertThat(fromCheckpoint.fromCheckpoint()).isTrue();
            assertThat(fromCheckpoint.recordsReplayed()).isEqualTo(3);
            for (int i = 0; i < ids.size(); i++) {
                assertThat(fromCheckpoint.pending().get(ids.get(i)).receivedAtMillis()).as("checkpoint " + i)
                    .isEqualTo(times.get(i));
                assertThat(full.pending().get(ids.get(i)).receivedAtMillis()).as("full replay " + i)
                    .isEqualTo(times.get(i));
            }
        }
    }

    @Test
    void shouldGiveAVersionOneQueuedRecordTheTimeFloorOfItsId() throws Exception {
        long id = MessageIds.timeFloorMillis(0) + (1_790_000_000_000L << 20) + 5;
        byte[] block = RecipientBlock.encode(List.of("a@x.org", "b@x.org"));
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender state = journal.state().createAppender();
             DocumentContext dc = state.writingDocument()) {
            var b = dc.wire().bytes();
            b.writeUnsignedByte(RecordHeader.TYPE_QUEUED);
            b.writeUnsignedByte(1);
            b.writeUnsignedShort(2);
            b.writeInt(block.length);
            b.writeLong(id);
            b.writeLong(42);
            b.write(block);
        }
        try (Journal journal = TestJournals.open(dir)) {
            PendingMessage m = Recovery.recover(journal).pending().get(id);
            assertThat(m.receivedAtMillis()).isEqualTo(1_790_000_000_000L);
            assertThat(m.bodiesIndex()).isEqualTo(42);
            assertThat(m.recipients()).containsExactly("a@x.org", "b@x.org");
        }
    }

    @Test
    void shouldReadAVersionThreeQueuedRecordsRouteInputsWithoutAFromDomain() throws Exception {
        long id = MessageIds.timeFloorMillis(0) + (1_790_000_000_000L << 20) + 7;
        byte[] block = RecipientBlock.encode(List.of("a@x.org"));
        try (Journal journal = TestJournals.open(dir);
             ExcerptAppender state = journal.state().createAppender();
             DocumentContext dc = state.writingDocument()) {
            var b = dc.wire().bytes();
            b.writeUnsignedByte(RecordHeader.TYPE_QUEUED);
            b.writeUnsignedByte(3);
            b.writeUnsignedShort(1);
            b.writeInt(block.length);
            b.writeLong(id);
            b.writeLong(43);
            b.writeLong(1_790_000_000_123L);
            b.write(block);
            for (String field : new String[] {"shop.example", "app1", "main", "bulk"}) {
                byte[] utf8 = field.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                b.writeUnsignedShort(utf8.length);
                b.write(utf8);
            }
        }
        try (Journal journal = TestJournals.open(dir)) {
            PendingMessage m = Recovery.recover(journal).pending().get(id);
            assertThat(m.routeInputs()).isEqualTo(new io.sluice.model.RouteInputs("shop.example", "app1", "main",
                "bulk", ""));
            assertThat(m.receivedAtMillis()).isEqualTo(1_790_000_000_123L);
        }
    }
}
