package io.sluice.journal;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What {@code appender.sync()} leaves out, for one queue: {@code msync(MS_SYNC)} covers only the byte range the
 * appender wrote in its current mapped chunk. So, after it:
 * <ul>
 *   <li>the first time a cycle file is seen (a roll, or the first sync after open): fsync the previous cycle's file
 *       (its last records and EOF marker), fsync the new file (its size and header) and the queue directory (its
 *       new entry) and {@code metadata.cq4t} (the cycle listing);</li>
 *   <li>when the current file grew since the last sync (Chronicle mapped a new chunk, so the batch may have left
 *       unsynced records at the end of the previous chunk, and the file size changed): fsync the file.</li>
 * </ul>
 * Cost: one fstat per sync; the extra fsyncs happen once per chunk (block size) or cycle (a minute for
 * {@code bodies/}, ten for {@code state/}).
 * Writer thread only.
 */
final class CycleFileSync implements AutoCloseable {
    private final Path queueDir;
    private File currentFile;
    private FileChannel channel;
    private long lastSize;

    CycleFileSync(Path queueDir) {
        this.queueDir = queueDir;
    }

    /** Call right after {@code appender.sync()} with the appender's current cycle file (null: nothing written). */
    void afterMsync(File file) throws IOException {
        if (file == null) {
            return;
        }
        if (!file.equals(currentFile)) {
            if (channel != null) {
                channel.force(true);
                channel.close();
                channel = null;
            }
            FileChannel next = FileChannel.open(file.toPath(), StandardOpenOption.READ);
            next.force(true);
            forceIfExists(queueDir.resolve("metadata.cq4t"));
            forceDirectory(queueDir);
            channel = next;
            currentFile = file;
            lastSize = next.size();
            return;
        }
        long size = channel.size();
        if (size != lastSize) {
            channel.force(true);
            lastSize = size;
        }
    }

    private static void forceIfExists(Path file) throws IOException {
        if (file.toFile().exists()) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        currentFile = null;
    }
}
