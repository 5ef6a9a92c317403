package io.sluice.smtp.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The command verbs the ingress server recognises. {@link #UNKNOWN} stands for anything else.
 *
 * <p>Matching is case-insensitive ASCII and allocation-free ({@link #match}); it runs once per command line.
 */
public enum SmtpVerb {
    HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, VRFY, HELP, STARTTLS, AUTH,
    /** Known verbs Sluice does not implement: answered 502 5.5.1. */
    EXPN, BDAT, ETRN, TURN,
    UNKNOWN;

    private static final SmtpVerb[] MATCHABLE = values();
    private final byte[] upper = name().getBytes(StandardCharsets.US_ASCII);

    /**
     * The verb spelled by {@code length} bytes of {@code buf} at {@code index}, or {@link #UNKNOWN}.
     */
    public static SmtpVerb match(ByteBuf buf, int index, int length) {
        for (SmtpVerb verb : MATCHABLE) {
            if (verb != UNKNOWN && verb.matches(buf, index, length)) {
                return verb;
            }
        }
        return UNKNOWN;
    }

    private boolean matches(ByteBuf buf, int index, int length) {
        if (length != upper.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int b = buf.getByte(index + i);
            if (b >= 'a' && b <= 'z') {
                b -= 32;
            }
            if (b != upper[i]) {
                return false;
            }
        }
        return true;
    }
}
