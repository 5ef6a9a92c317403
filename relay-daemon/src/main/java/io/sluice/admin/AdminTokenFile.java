package io.sluice.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    private AdminTokenFile() {
    }

    /**
     * Creates {@code file} with a fresh random token unless something exists at that path.
     *
     * @return true when this call created it, false when it existed already
     * @throws IOException naming the path when it cannot be created
     */
    public static boolean createIfMissing(Path file) throws IOException {
        return io.sluice.util.PrivateFiles.createSecretIfMissing(file, "admin token file", TOKEN_BYTES);
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
