package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WritePageAdvice} on a real Chronicle queue: the kernel records the advice on the appender's mapping (the
 * {@code rr} flag of {@code /proc/self/smaps}, Linux only), every chunk written to gets it, and reading pages ahead
 * past a chunk's limit leaves every record intact across chunk changes.
 */
class WritePageAdviceTest {
    private static final int RECORD = 5 * 1024;

    @TempDir
    Path dir;

    @Test
    void theAppendersMappingIsAdvisedRandomAccessAndEveryChunkIsAdvised() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "needs Linux /proc/self/smaps");
        long blockSize = 1L << 20;
        try (SingleChronicleQueue q = JournalQueues.open(dir, blockSize, RollCycles.TEN_MINUTELY,
                SystemTimeProvider.INSTANCE);
             ExcerptAppender appender = q.createAppender()) {
            WritePageAdvice advice = new WritePageAdvice("test");
            int records = appendAndAdvise(appender, advice, 2_000);

            assertThat(advice.advisedChunks()).as("chunks advised (10 MB over 1 MiB chunks)").isGreaterThan(3);
            assertThat(advice.pagesReadAhead()).as("pages read ahead past chunk limits").isPositive();
            assertThat(vmFlagsOfMappingAt(advice.advisedAddress())).as("VmFlags of the current chunk's mapping")
                .contains("rr");
            assertThat(readBack(q)).as("records read back intact").isEqualTo(records);
        }
    }

    @Test
    void withoutAnAppendedRecordNothingIsAdvised() throws IOException {
        try (SingleChronicleQueue q = JournalQueues.open(dir, 1L << 20, RollCycles.TEN_MINUTELY,
                SystemTimeProvider.INSTANCE);
             ExcerptAppender appender = q.createAppender()) {
            WritePageAdvice advice = new WritePageAdvice("test");
            advice.afterWrite(appender);
            assertThat(advice.advisedChunks()).isZero();
        }
    }

    /** Appends {@code count} records, each filled with its own number, syncing and advising every 20. */
    private static int appendAndAdvise(ExcerptAppender appender, WritePageAdvice advice, int count) {
        byte[] body = new byte[RECORD];
        for (int i = 0; i < count; i++) {
            java.util.Arrays.fill(body, (byte) i);
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().writeInt(i);
                dc.wire().bytes().write(body);
            }
            if (i % 20 == 19) {
                appender.sync();
                advice.afterWrite(appender);
            }
        }
        return count;
    }

    private static int readBack(SingleChronicleQueue q) {
        int n = 0;
        ExcerptTailer tailer = q.createTailer();
        Bytes<?> expected = Bytes.allocateElasticOnHeap(RECORD);
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return n;
                }
                Bytes<?> in = dc.wire().bytes();
                assertThat(in.readInt()).isEqualTo(n);
                assertThat(in.readRemaining()).isEqualTo(RECORD);
                for (int k = 0; k < RECORD; k++) {
                    if (in.readByte() != (byte) n) {
                        throw new AssertionError("record " + n + " byte " + k + " differs");
                    }
                }
                n++;
            }
        }
    }

    /** The VmFlags line of the {@code /proc/self/smaps} entry whose range contains {@code address}. */
    private static String vmFlagsOfMappingAt(long address) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        boolean inside = false;
        for (String line : lines) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                long from = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long to = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = address >= from && address < to;
            } else if (inside && line.startsWith("VmFlags:")) {
                return line;
            }
        }
        throw new AssertionError("no mapping contains 0x" + Long.toHexString(address));
    }
}
