package io.sluice.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * Credentials for SMTP AUTH towards a smarthost ({@code smarthosts[].auth}): the username and the password read from
 * {@code password_file} (its content without the trailing line end). Immutable; {@link #toString()} never shows the
 * password.
 *
 * @param username the AUTH identity
 * @param password the password, or null when its file could not be read (then AUTH fails with {@link #problem})
 * @param problem  why there is no password, or null
 */
public record SmtpLogin(String username, String password, String problem) {

    public SmtpLogin {
        Objects.requireNonNull(username, "username");
    }

    /** Reads the password from {@code passwordFile}; an unreadable file gives a login that names the problem. */
    public static SmtpLogin read(String username, Path passwordFile) {
        try {
            String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
            int end = text.length();
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            return new SmtpLogin(username, text.substring(0, end), null);
        } catch (IOException | RuntimeException e) {
            return new SmtpLogin(username, null, "cannot read password_file " + passwordFile + ": " + e);
        }
    }

    /** The PLAIN response (RFC 4616): base64 of an empty authorisation identity, the username and the password. */
    String plainResponse() {
        return base64("\0" + username + "\0" + password);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "SmtpLogin[" + username + "]";
    }
}
