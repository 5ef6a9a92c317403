package io.sluice.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one "owner only" permission rule for secrets Sluice reads (the admin bearer token, the feedback key): neither
 * group nor others may read or write the file. {@link #problem} reads the permissions only (stat), never the
 * contents; {@link #createSecretIfMissing} makes such a file with a fresh random secret. Stateless, thread-safe.
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

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * Creates {@code file} (and its missing parent directories) with mode 0600 holding {@code bytes} random bytes
     * from {@link java.security.SecureRandom} in unpadded base64url and a newline, unless something exists at that
     * path; written with {@code SYNC}.
     *
     * @param what names the file in errors ("admin token file")
     * @return true when this call created it, false when it existed already (or another process made it first)
     * @throws IOException naming {@code what} and the path when it cannot be created or written
     */
    public static boolean createSecretIfMissing(Path file, String what, int bytes) throws IOException {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path parent = file.toAbsolutePath().getParent();
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        byte[] text = (java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false; // another process made it first: theirs stands
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot create " + what + " " + file + ": the file system has no POSIX "
                    + "permissions, so it could not be made private");
        } catch (IOException e) {
            throw new IOException("cannot create " + what + " " + file + ": " + e, e);
        }
        try {
            Files.write(file, text, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.SYNC);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw new IOException("cannot write " + what + " " + file + ": " + e, e);
        }
        return true;
    }
}
