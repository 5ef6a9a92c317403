package io.sluice.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one "owner only" permission rule for secrets Sluice reads (the admin bearer token): neither group nor others
 * may read or write the file. Reads the permissions only (stat), never the contents. Stateless, thread-safe.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> NOT_PRIVATE = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private PrivateFiles() {
    }

    /**
     * Why {@code file} (an existing regular file) is not private, naming it and the fix, or null when it is.
     * A file system without POSIX permissions, or one whose permissions cannot be read, is reported too.
     */
    public static String problem(Path file) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return file + ": cannot check its permissions on a non-POSIX file system";
        } catch (IOException e) {
            return file + ": cannot read its permissions: " + e.getMessage();
        }
        if (perms.stream().anyMatch(NOT_PRIVATE::contains)) {
            return file + " is accessible by group or others (permissions " + PosixFilePermissions.toString(perms)
                    + "); make it readable by its owner only: chmod 600 " + file;
        }
        return null;
    }
}
