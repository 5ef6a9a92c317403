package io.sluice.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The JSON-lines event log file with size-based rotation, like logrotate's {@code rotate N}: when the next line
 * would take the file past {@code maxSize}, {@code file} becomes {@code file.1}, {@code file.1} becomes
 * {@code file.2}, ..., and {@code file.maxFiles} is deleted. Lines are buffered (64 KiB) and written by
 * {@link #flush}. Owned by the event-log thread; not thread-safe.
 */
final class JsonLogFile implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final long maxSize;
    private final int maxFiles;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private FileChannel channel;
    private long size;

    JsonLogFile(Path file, long maxSize, int maxFiles) throws IOException {
        this.file = file.toAbsolutePath();
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        Files.createDirectories(this.file.getParent());
        open();
    }

    private void open() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = channel.size();
    }

    /** Adds one line ({@code line} without its LF). */
    void writeLine(byte[] line, int offset, int length) throws IOException {
        int total = length + 1;
        if (size > 0 && size + total > maxSize) {
            flush();
            rotate();
        }
        if (buffer.remaining() < total) {
            flush();
        }
        if (total > buffer.capacity()) {
            channel.write(ByteBuffer.wrap(line, offset, length));
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        } else {
            buffer.put(line, offset, length).put((byte) '\n');
        }
        size += total;
    }

    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private void rotate() throws IOException {
        channel.close();
        Files.deleteIfExists(numbered(maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path numbered(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public void close() throws IOException {
        flush();
        channel.close();
    }
}
