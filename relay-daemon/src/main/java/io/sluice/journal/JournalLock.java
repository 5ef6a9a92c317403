package io.sluice.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One daemon per journal: an exclusive OS lock on {@code journal.dir/}{@value #FILE_NAME}, held for the daemon's
 * whole life, as Postfix's master holds {@code master.lock}. Two daemons on one journal would each recover the
 * other's pending mail and deliver it again, so the second must stop before it opens the journal.
 *
 * <p>Inputs/outputs: {@link #acquire} creates the directory and the file if needed, takes the lock without waiting
 * and writes this process's PID into the file (for the message a second daemon prints, and for operators);
 * {@link #close} releases it. The file is never deleted: deleting a lock file lets a process that opened the old
 * inode and one that creates a new file both "hold" the lock. A PID left in the file after a stop means nothing;
 * only the OS lock counts.
 *
 * <p>Why an OS lock ({@link FileChannel#tryLock()}, {@code fcntl} on Linux) and not "the file exists": the kernel
 * drops it when the process dies in any way, SIGKILL included, so a crash never leaves a stale lock to clean up.
 *
 * <p>Same JVM: POSIX locks belong to the process, and closing <em>any</em> descriptor of the file releases them. So
 * a second acquire in the process that holds the lock is refused from an in-memory set of held directories
 * without opening the file, and nothing else in the daemon may open {@value #FILE_NAME}. Read-only tools
 * ({@code sluice journal dump}, {@link JournalDump}) do not take the lock: they may run beside the daemon.
 *
 * <p>Failure modes: {@link #acquire} throws an {@link IOException} naming the directory and the holder's PID when
 * another process (or this one) holds the lock, and naming the file when it cannot be created or locked (a
 * read-only or foreign-owned directory). Thread-safe.
 */
public final class JournalLock implements AutoCloseable {
    /** The lock file's name inside {@code journal.dir}. */
    public static final String FILE_NAME = "sluice.lock";
    /** Real paths of the journal directories this JVM holds locked (see "Same JVM" above). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private JournalLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed, locks {@code dir/sluice.lock} and writes this PID into it.
     *
     * @throws IOException naming the holder's PID when the journal is locked already, or the file when it cannot
     *                     be created or locked
     */
    public static JournalLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path real = dir.toRealPath();
        long self = ProcessHandle.current().pid();
        if (!HELD.add(real)) {
            throw inUse(real, "this process (PID " + self + ")");
        }
        Path file = real.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                // Read through our own channel: we hold no lock on the file, so closing it releases nothing.
                throw inUse(real, "another sluice daemon (PID " + holderPid(channel) + ")");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new JournalLock(real, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(real);
            if (channel != null) {
                channel.close();
            }
            if (e instanceof JournalInUseException || e instanceof RuntimeException) {
                throw e;
            }
            throw new IOException("cannot lock the journal: " + file + ": " + e, e);
        }
    }

    /** The journal directory (real path). */
    public Path dir() {
        return dir;
    }

    /** Releases the lock (the file stays). Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(dir);
        }
    }

    /** The PID the holder wrote, or "unknown" when the file is empty (it is between its lock and its write). */
    private static String holderPid(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        return text.matches("[0-9]{1,19}") ? text : "unknown";
    }

    private static JournalInUseException inUse(Path dir, String holder) {
        return new JournalInUseException("journal " + dir + " is in use by " + holder + ", which holds the lock on "
                + dir.resolve(FILE_NAME) + "; two daemons on one journal would deliver its mail twice. Stop that"
                + " daemon first, or give this one another journal.dir");
    }

    /** The journal is locked by another daemon; the message names its PID. */
    static final class JournalInUseException extends IOException {
        private static final long serialVersionUID = 1L;

        JournalInUseException(String message) {
            super(message);
        }
    }
}
