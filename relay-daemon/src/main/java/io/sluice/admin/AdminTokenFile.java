package io.sluice.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Creates the admin API's token file ({@code admin.token_file}) when it does not exist yet, so a first start in a
 * checkout gives a working {@code sluice status} without any manual step.
 *
 * <p>Contract: {@link #createIfMissing} makes the missing parent directories (default permissions), then creates
 * the file exclusively ({@code CREATE_NEW}, so an existing file, or one made by a racing process, is never
 * overwritten) with mode 0600 from the start (never readable by others, even briefly), holding
 * {@value #TOKEN_BYTES} random bytes from {@link SecureRandom} in unpadded base64url (43 characters of the RFC 6750
 * {@code b64token} alphabet, which {@link BearerToken#load} accepts) and a newline. {@link #creationProblem} says,
 * without touching anything, why creating it would fail (for {@code check-config}).
 *
 * <p>Failure modes: an unwritable directory or a non-POSIX file system throws {@link IOException} naming the path;
 * a partly written file is deleted. Stateless, thread-safe.
 */
public final class AdminTokenFile {
    /** 256 bits of randomness: a guess is hopeless, whatever the rate limit. */
    static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminTokenFile() {
    }

    /**
     * Creates {@code file} with a fresh random token unless something exists at that path.
     *
     * @return true when this call created it, false when it existed already
     * @throws IOException naming the path when it cannot be created
     */
    public static boolean createIfMissing(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path parent = file.toAbsolutePath().getParent();
        byte[] random = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(random);
        byte[] text = (Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return false; // another process made it first: theirs stands
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot create admin token file " + file + ": the file system has no POSIX "
                    + "permissions, so it could not be made private");
        } catch (IOException e) {
            throw new IOException("cannot create admin token file " + file + ": " + e, e);
        }
        try {
            Files.write(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw new IOException("cannot write admin token file " + file + ": " + e, e);
        }
        return true;
    }

    /** Why {@link #createIfMissing} could not create {@code file} (a missing file), or null when it could. */
    public static String creationProblem(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir)) {
            return "cannot create admin token file " + file + ": " + dir + " is not a directory";
        }
        if (!Files.isWritable(dir)) {
            return "cannot create admin token file " + file + ": directory " + dir + " is not writable by this user";
        }
        return null;
    }
}
