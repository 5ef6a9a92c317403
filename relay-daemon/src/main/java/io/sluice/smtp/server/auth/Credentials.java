package io.sluice.smtp.server.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user name and password decoded from a SASL exchange, on their way to {@link AuthVerifier}.
 *
 * <p>The password stays a {@code char[]} so it can be zeroed after use ({@link #clear()}); it is never turned into
 * a {@code String}. {@link AuthVerifier#verify} takes ownership and clears it. {@link #toString()} never shows the
 * password. Equality is identity for the array (record default); do not use as a map key. Not thread-safe to clear
 * while another thread reads.
 *
 * @param user     the authentication identity (authcid), exactly as the client sent it; compared case-sensitively
 * @param password the password characters
 */
public record Credentials(String user, char[] password) {

    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** Overwrites the password characters with zeros. */
    public void clear() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***]";
    }
}
