package io.sluice.config;

import io.sluice.util.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that a file named in the config (certificate, key, users file, token file) can be read now, so that a
 * typo fails {@code check-config} and reload instead of the first TLS handshake or AUTH attempt.
 *
 * <p>Relative paths resolve against the process's working directory, as the daemon resolves them when it opens
 * the file; the message says so, because that is the usual cause. Touches the file system (stat and access
 * checks only), never reads contents. Stateless.
 */
final class FileChecks {

    /** A secret (the admin token) must be neither readable nor writable by group or others. */
    private FileChecks() {
    }

    /** Reports a problem at {@code key} unless {@code file} is an existing, readable regular file. */
    static void requireReadableFile(YamlMapping m, String key, Path file) {
        String problem = readableProblem(file);
        if (problem != null) {
            m.error(key, problem);
        }
    }

    /** Why {@code file} is not an existing, readable regular file, or null when it is. */
    private static String readableProblem(Path file) {
        if (!Files.exists(file)) {
            return file + " does not exist" + (file.isAbsolute() ? ""
                    : " (relative to the working directory " + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isRegularFile(file)) {
            return file + " is not a regular file";
        }
        if (!Files.isReadable(file)) {
            return file + " is not readable by this user";
        }
        return null;
    }

    /**
     * Reports a problem at {@code key} unless {@code file} is a readable regular file that neither group nor others
     * may read or write (any local user can reach the loopback admin port, so the token is the only guard). Reads
     * permissions only (stat), never the contents.
     */
    static void requirePrivateFile(YamlMapping m, String key, Path file) {
        String problem = readableProblem(file);
        if (problem != null) {
            m.error(key, problem);
            return;
        }
        String notPrivate = PrivateFiles.problem(file);
        if (notPrivate != null) {
            m.error(key, notPrivate);
        }
    }
}
