package io.sluice.smtp.server.auth;

import java.util.Arrays;

/**
 * SASL PLAIN (RFC 4616): one message {@code base64([authzid] NUL authcid NUL passwd)}, either as the AUTH initial
 * response or after an empty {@code 334 } challenge.
 *
 * <p>Rules: exactly two NULs, else {@code 501 5.5.2 Malformed PLAIN response}; bad base64 or UTF-8, or a response
 * over {@link SaslResponseDecoder#MAX_RESPONSE_CHARS}, gives {@code 501 5.5.2 Cannot decode response}; an authzid
 * that is neither empty nor equal to the authcid (exact, case-sensitive) gives {@code 535 5.7.8} (we do not let
 * one user act as another); an empty authcid or password gives {@code 535 5.7.8 Authentication credentials invalid}
 * without any hashing. The decoded bytes are zeroed before returning. See {@link SaslExchange} for threading.
 */
public final class SaslPlain extends SaslExchange {

    static final String NAME = "PLAIN";

    private final String initialResponse;

    /** @param initialResponse the AUTH initial response, or {@code null} if the command had none */
    SaslPlain(String initialResponse) {
        this.initialResponse = initialResponse;
    }

    @Override
    public String mechanism() {
        return NAME;
    }

    @Override
    SaslStep onStart() {
        if (initialResponse == null) {
            return new SaslStep.Challenge("");
        }
        return decode(initialResponse);
    }

    @Override
    SaslStep onResponse(String line) {
        return decode(line);
    }

    private static SaslStep decode(String response) {
        byte[] message = SaslResponseDecoder.base64(response);
        if (message == null) {
            return new SaslStep.Failed(AuthReply.CANNOT_DECODE);
        }
        try {
            return parse(message);
        } finally {
            Arrays.fill(message, (byte) 0);
        }
    }

    private static SaslStep parse(byte[] message) {
        int first = indexOfNul(message, 0);
        int second = first < 0 ? -1 : indexOfNul(message, first + 1);
        if (second < 0 || indexOfNul(message, second + 1) >= 0) {
            return new SaslStep.Failed(AuthReply.MALFORMED_PLAIN);
        }
        String authzid = SaslResponseDecoder.utf8String(message, 0, first);
        String authcid = SaslResponseDecoder.utf8String(message, first + 1, second);
        char[] password = SaslResponseDecoder.utf8Chars(message, second + 1, message.length);
        if (authzid == null || authcid == null || password == null) {
            return new SaslStep.Failed(AuthReply.CANNOT_DECODE);
        }
        if (!authzid.isEmpty() && !authzid.equals(authcid)) {
            Arrays.fill(password, '\0');
            return new SaslStep.Failed(AuthReply.AUTHZID_NOT_PERMITTED);
        }
        if (authcid.isEmpty() || password.length == 0) {
            return new SaslStep.Failed(AuthReply.INVALID_CREDENTIALS);
        }
        return new SaslStep.Done(new Credentials(authcid, password));
    }

    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
