package io.sluice.config;

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

    private FileChecks() {
    }

    /** Reports a problem at {@code key} unless {@code file} is an existing, readable regular file. */
    static void requireReadableFile(YamlMapping m, String key, Path file) {
        String problem = null;
        if (!Files.exists(file)) {
            problem = file + " does not exist" + (file.isAbsolute() ? ""
                    : " (relative to the working directory " + Path.of("").toAbsolutePath() + ")");
        } else if (!Files.isRegularFile(file)) {
            problem = file + " is not a regular file";
        } else if (!Files.isReadable(file)) {
            problem = file + " is not readable by this user";
        }
        if (problem != null) {
            m.error(key, problem);
        }
    }
}
