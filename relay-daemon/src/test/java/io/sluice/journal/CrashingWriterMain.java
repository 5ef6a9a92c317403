package io.sluice.journal;

import java.nio.file.Path;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Child process for {@link UncleanStopTest}: acknowledges some messages, then dies like {@code kill -9} (no
 * shutdown hooks, no close) in the middle of an excerpt on each queue, holding Chronicle's append locks.
 */
public final class CrashingWriterMain {
    static final int EXIT_CODE = 42;

    private CrashingWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int messages = Integer.parseInt(args[1]);
        Journal journal = TestJournals.open(dir);
        JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal),
            new WriterOptions().checkpointOnClose(false));
        TestJournals.Recorder recorder = new TestJournals.Recorder(messages);
        for (int i = 0; i < messages; i++) {
            while (!writer.offer(TestJournals.message(journal.nextMessageId(), "before the crash " + i), recorder)) {
                Thread.onSpinWait();
            }
        }
        recorder.await();
        // Half-written excerpts on both queues: their headers stay "not complete" and the locks stay taken.
        ExcerptAppender bodies = journal.bodies().createAppender();
        DocumentContext openBody = bodies.writingDocument();
        openBody.wire().bytes().writeUnsignedByte(RecordHeader.TYPE_ACCEPTED).writeLong(123);
        ExcerptAppender state = journal.state().createAppender();
        DocumentContext openState = state.writingDocument();
        openState.wire().bytes().writeUnsignedByte(RecordHeader.TYPE_QUEUED).writeLong(456);
        System.out.println("acknowledged " + messages);
        System.out.flush();
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
