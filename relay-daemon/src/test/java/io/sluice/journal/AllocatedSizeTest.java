package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.JournalSettings;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's disk figure is what its sparse cycle files use, not their apparent length: a 64 MiB file with 8 KiB
 * written counts about 8 KiB, and a fresh journal's queues far less than their cycle files' lengths.
 */
class AllocatedSizeTest {
    @TempDir
    Path dir;

    @Test
    void shouldCountTheDataOfASparseFileNotItsLength() throws Exception {
        File sparse = dir.resolve("sparse.cq4").toFile();
        try (RandomAccessFile f = new RandomAccessFile(sparse, "rw")) {
            f.setLength(64L << 20);
            f.write(new byte[4096]);
            f.seek(32L << 20);
            f.write(new byte[] {1, 2, 3});
        }
        assertThat(sparse.length()).isEqualTo(64L << 20);
        assertThat(AllocatedSize.of(sparse)).as("two written blocks, not 64 MiB").isBetween(4096L, 256L << 10);
        assertThat(AllocatedSize.of(dir.resolve("missing.cq4").toFile())).isZero();
    }

    @Test
    void shouldReportAJournalsAllocatedSizeBelowItsSparseFilesLength() throws Exception {
        try (Journal journal = Journal.open(new JournalSettings(dir, JournalSettings.SyncPolicy.BATCH, 0,
                Duration.ofMinutes(1)), 1 << 20)) {
            try (var appender = journal.bodies().createAppender()) {
                appender.writeBytes(b -> b.write(ByteBuffer.wrap(new byte[5_000]).array()));
            }
            long apparent = 0;
            for (File f : dir.resolve("bodies").toFile().listFiles((d, n) -> n.endsWith(".cq4"))) {
                apparent += f.length();
            }
            long allocated = journal.diskBytes("bodies");
            assertThat(allocated).as("the record is on disk").isGreaterThanOrEqualTo(5_000);
            assertThat(allocated).as("apparent " + apparent).isLessThan(apparent);
        }
    }
}
