package io.sluice.smtp.server.auth;

import java.io.IOException;

/**
 * The users file could not be read or is invalid. The message always starts with the file name, and with the line
 * number when one line is at fault: {@code conf/users:3: bad hash format for user 'bob' (...)}. It never contains
 * a salt, hash or password.
 */
public final class UsersFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public UsersFileException(String message) {
        super(message);
    }

    public UsersFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
