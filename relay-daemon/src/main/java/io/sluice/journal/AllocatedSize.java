package io.sluice.journal;

import java.io.File;
import java.util.Locale;
import net.openhft.posix.PosixAPI;

/**
 * How many bytes of a file hold data on disk, for {@link Journal#diskBytes}: Chronicle's cycle files are sparse
 * (created at their full block size, written as mail arrives), so their apparent length says little about the disk
 * they use; {@code du} would show the real figure.
 *
 * <p>The JDK exposes no {@code st_blocks} ({@code Files.readAttributes(path, "unix:*")} has none), so this walks
 * the file's data extents with {@code lseek(SEEK_DATA)} / {@code lseek(SEEK_HOLE)} through Chronicle's native POSIX
 * access (the same one {@link WritePageAdvice} uses): the sum of the extents, in whole file-system blocks, is the
 * allocated size up to the file system's metadata. Where native access or {@code SEEK_HOLE} is unavailable (not
 * Linux, no native library, a file system without hole support), it answers the apparent length, as before. Any thread; a
 * few system calls per extent (cycle files are written in order: a handful of extents each).
 */
final class AllocatedSize {
    private static final int O_RDONLY = 0;
    /**
     * Linux's {@code whence} values. Not {@code net.openhft.posix.WhenceFlag}: its SEEK_DATA and SEEK_HOLE are 4 and
     * 5 (off by one on Linux, where 4 is SEEK_HOLE and 5 is invalid), measured here.
     */
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
            .startsWith("linux");

    private AllocatedSize() {
    }

    /** Bytes of {@code file} holding data, or its length when that cannot be told; 0 when it is gone. */
    static long of(File file) {
        long length = file.length();
        if (length == 0 || !LINUX) {
            return length;
        }
        PosixAPI posix;
        try {
            posix = PosixAPI.posix();
        } catch (RuntimeException | LinkageError e) {
            return length;
        }
        if (posix.getClass().getSimpleName().startsWith("NoOp")) {
            return length;
        }
        int fd;
        try {
            fd = posix.open(file.getPath(), O_RDONLY, 0);
        } catch (RuntimeException | LinkageError e) {
            return length;
        }
        if (fd < 0) {
            return length;
        }
        try {
            if (posix.lseek(fd, 0, SEEK_HOLE) < 0) {
                return length; // no hole support here: the length is all we know
            }
            long total = 0;
            long position = 0;
            while (position < length) {
                long data = posix.lseek(fd, position, SEEK_DATA);
                if (data < 0) {
                    break; // ENXIO: no data after position
                }
                long hole = posix.lseek(fd, data, SEEK_HOLE);
                long end = hole < 0 ? length : Math.min(hole, length);
                total += end - data;
                position = end;
                if (end <= data) {
                    break;
                }
            }
            return total;
        } catch (RuntimeException | LinkageError e) {
            return length;
        } finally {
            posix.close(fd);
        }
    }
}
