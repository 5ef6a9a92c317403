package io.sluice.bounce.intake;

import io.sluice.util.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The feedback key ({@code feedback.key_file}): the secret VERP return paths are signed with. Made at the first start
 * when missing (32 random bytes, base64url, mode 0600); read as its text without surrounding white space, which must
 * be at least 16 bytes. A key readable by group or others refuses the start, as the admin token does: whoever reads
 * it can forge bounces that suppress any address. Stateless.
 */
public final class FeedbackKey {
    static final int RANDOM_BYTES = 32;

    private FeedbackKey() {
    }

    /**
     * The key's bytes, the file made first when missing.
     *
     * @throws IOException naming the file: cannot be made or read, not private, or too short
     */
    public static byte[] loadOrCreate(Path file) throws IOException {
        PrivateFiles.createSecretIfMissing(file, "feedback key file", RANDOM_BYTES);
        String problem = PrivateFiles.problem(file);
        if (problem != null) {
            throw new IOException("feedback key: " + problem);
        }
        byte[] key = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        if (key.length < 16) {
            throw new IOException("feedback key " + file + ": " + key.length + " bytes; at least 16 are needed"
                    + " (delete it and Sluice makes a random one at the next start)");
        }
        return key;
    }
}
