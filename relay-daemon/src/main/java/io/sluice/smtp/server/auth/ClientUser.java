package io.sluice.smtp.server.auth;

import java.util.Objects;

/**
 * The unit the per-user AUTH failure limit counts by: a {@link ClientKey} and the user name the client gave (as
 * given, unknown names included, so guessing names is throttled like guessing passwords). One application with a
 * wrong password is throttled on its own name, and the other applications on the same host keep logging in until
 * the host's ceiling ({@link AuthVerifier}). Immutable; a value.
 */
record ClientUser(ClientKey client, String user) {
    ClientUser {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(user, "user");
    }
}
