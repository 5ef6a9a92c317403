package io.sluice.smtp.server.auth;

import java.util.Arrays;

/**
 * SASL LOGIN (draft-murchison-sasl-login): the server asks {@code 334 VXNlcm5hbWU6} ("Username:") and then
 * {@code 334 UGFzc3dvcmQ6} ("Password:"); each answer is one base64 line. An AUTH initial response is taken as the
 * user name, so the first challenge is skipped (Outlook and some libraries send {@code AUTH LOGIN <user>}).
 *
 * <p>Failures: bad base64 or UTF-8 gives {@code 501 5.5.2 Cannot decode response}; {@code *} cancels (handled by
 * {@link SaslExchange}); an empty user name or password gives {@code 535 5.7.8} without hashing, reported only
 * after the password line so the dialogue has the usual shape. See {@link SaslExchange} for threading.
 */
public final class SaslLogin extends SaslExchange {

    static final String NAME = "LOGIN";
    /** Base64 of {@code Username:}. */
    public static final String USERNAME_CHALLENGE = "VXNlcm5hbWU6";
    /** Base64 of {@code Password:}. */
    public static final String PASSWORD_CHALLENGE = "UGFzc3dvcmQ6";

    private final String initialResponse;
    /** Null until the user-name line has been decoded. */
    private String user;

    /** @param initialResponse the AUTH initial response (the user name), or {@code null} */
    SaslLogin(String initialResponse) {
        this.initialResponse = initialResponse;
    }

    @Override
    public String mechanism() {
        return NAME;
    }

    @Override
    SaslStep onStart() {
        if (initialResponse == null) {
            return new SaslStep.Challenge(USERNAME_CHALLENGE);
        }
        return acceptUser(initialResponse);
    }

    @Override
    SaslStep onResponse(String line) {
        return user == null ? acceptUser(line) : acceptPassword(line);
    }

    private SaslStep acceptUser(String response) {
        byte[] bytes = SaslResponseDecoder.base64(response);
        String decoded = bytes == null ? null : SaslResponseDecoder.utf8String(bytes, 0, bytes.length);
        if (decoded == null) {
            return new SaslStep.Failed(AuthReply.CANNOT_DECODE);
        }
        user = decoded;
        return new SaslStep.Challenge(PASSWORD_CHALLENGE);
    }

    private SaslStep acceptPassword(String response) {
        byte[] bytes = SaslResponseDecoder.base64(response);
        if (bytes == null) {
            return new SaslStep.Failed(AuthReply.CANNOT_DECODE);
        }
        char[] password = SaslResponseDecoder.utf8Chars(bytes, 0, bytes.length);
        Arrays.fill(bytes, (byte) 0);
        if (password == null) {
            return new SaslStep.Failed(AuthReply.CANNOT_DECODE);
        }
        if (user.isEmpty() || password.length == 0) {
            return new SaslStep.Failed(AuthReply.INVALID_CREDENTIALS);
        }
        return new SaslStep.Done(new Credentials(user, password));
    }
}
