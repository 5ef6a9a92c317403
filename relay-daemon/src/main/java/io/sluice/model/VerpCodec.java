package io.sluice.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;

/**
 * Addresses at the feedback domains signed with the feedback key, naming one recipient of one message Sluice sent:
 * VERP return paths {@code b+<token>@<domain>} ({@link #bounces}) and one-click unsubscribe mail addresses
 * {@code u+<token>@<domain>} ({@link #unsubscribes}). The token is the journal message id (8 bytes), the recipient's
 * ordinal in the message (3 bytes) and the first {@value #MAC_BYTES} bytes of the HMAC-SHA256 of those and the
 * recipient's address (lower case; keyed per purpose, so a return path is no unsubscribe address), in lower-case RFC
 * 4648 base32 without padding: {@value #TOKEN_CHARS} characters, so the local part is {@value #LOCAL_PART_LENGTH}
 * octets (RFC 5321 allows 64). Base32 because a hop may change the case of a local part; decoding ignores case.
 *
 * <p>Reading a token is two steps: {@link #decode} (its form: message and ordinal, nothing believed yet), then
 * {@link #verify} against the address it is claimed to be for (the feedback index's record of what was sent, or the
 * address a report names). Because the address is in the MAC, a token proves who it was sent to: a report cannot make
 * a real return path stand for any other address. 80 MAC bits make a blind forgery hopeless. Thread-safe: each
 * thread has its own {@link Mac}.
 */
public final class VerpCodec {
    /** The local part's prefix of a VERP return path. */
    public static final String PREFIX = "b+";
    /** The local part's prefix of a one-click unsubscribe mail address. */
    public static final String UNSUBSCRIBE_PREFIX = "u+";
    static final int MAC_BYTES = 10;
    private static final int PAYLOAD_BYTES = 8 + 3;
    private static final int TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;
    public static final int TOKEN_CHARS = (TOKEN_BYTES * 8 + 4) / 5;
    public static final int LOCAL_PART_LENGTH = 2 + TOKEN_CHARS;
    /** Recipient ordinals fit 3 bytes. */
    public static final int MAX_ORDINAL = (1 << 24) - 1;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    /** A token's contents as decoded: not verified until {@link #verify} says so. */
    public record Token(long messageId, int ordinal, byte[] mac) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Token t && t.messageId == messageId && t.ordinal == ordinal
                    && Arrays.equals(t.mac, mac);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(messageId) * 31 + ordinal;
        }

        @Override
        public String toString() {
            return "Token[messageId=" + messageId + ", ordinal=" + ordinal + "]";
        }
    }

    private final HmacKey key;
    private final String prefix;
    private final byte[] purpose;

    /** VERP return paths ({@code b+}); {@code secret}: the feedback key's bytes (at least 16). */
    public VerpCodec(byte[] secret) {
        this(secret, PREFIX, "sluice-verp-v2");
    }

    private VerpCodec(byte[] secret, String prefix, String purpose) {
        this.key = new HmacKey(secret);
        this.prefix = prefix;
        this.purpose = purpose.getBytes(StandardCharsets.US_ASCII);
    }

    /** VERP return paths, {@code b+<token>@<domain>}. */
    public static VerpCodec bounces(byte[] secret) {
        return new VerpCodec(secret);
    }

    /** One-click unsubscribe mail addresses, {@code u+<token>@<domain>}. */
    public static VerpCodec unsubscribes(byte[] secret) {
        return new VerpCodec(secret, UNSUBSCRIBE_PREFIX, "sluice-unsubscribe-v2");
    }

    /**
     * The address for recipient {@code ordinal} ({@code recipient}) of message {@code messageId} at {@code domain}.
     * Allocates the token's bytes and the string; once per delivery attempt on a VERP route.
     */
    public String returnPath(long messageId, int ordinal, String recipient, String domain) {
        if (ordinal < 0 || ordinal > MAX_ORDINAL) {
            throw new IllegalArgumentException("recipient ordinal out of range: " + ordinal);
        }
        byte[] bytes = new byte[TOKEN_BYTES];
        payload(bytes, messageId, ordinal);
        System.arraycopy(mac(bytes, recipient), 0, bytes, PAYLOAD_BYTES, MAC_BYTES);
        StringBuilder sb = new StringBuilder(LOCAL_PART_LENGTH + 1 + domain.length()).append(prefix);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return sb.append('@').append(domain).toString();
    }

    /** Whether {@code localPart} is meant as a VERP token (its prefix), whether or not it verifies. */
    public static boolean isVerpLocalPart(String localPart) {
        return localPart.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** Whether {@code localPart} has this codec's prefix, whether or not it verifies. */
    public boolean isOwnLocalPart(String localPart) {
        return localPart.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /**
     * The contents of a local part with this codec's prefix, or null when it does not have the form of one (length,
     * characters, padding bits): then it is damaged or forged. Nothing in it is believed before {@link #verify}.
     */
    public Token decode(String localPart) {
        if (!isOwnLocalPart(localPart) || localPart.length() != LOCAL_PART_LENGTH) {
            return null;
        }
        byte[] bytes = new byte[TOKEN_BYTES + 1];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = prefix.length(); i < localPart.length(); i++) {
            int v = value(localPart.charAt(i));
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bytes[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            return null; // the padding bits of a token we wrote are zero
        }
        long messageId = 0;
        for (int i = 0; i < 8; i++) {
            messageId = (messageId << 8) | (bytes[i] & 0xff);
        }
        int ordinal = ((bytes[8] & 0xff) << 16) | ((bytes[9] & 0xff) << 8) | (bytes[10] & 0xff);
        return new Token(messageId, ordinal, Arrays.copyOfRange(bytes, PAYLOAD_BYTES, TOKEN_BYTES));
    }

    /** Whether this key signed {@code token} for {@code recipient} (case-insensitive). Constant-time compare. */
    public boolean verify(Token token, String recipient) {
        byte[] bytes = new byte[TOKEN_BYTES];
        payload(bytes, token.messageId(), token.ordinal());
        return MessageDigest.isEqual(Arrays.copyOf(mac(bytes, recipient), MAC_BYTES), token.mac());
    }

    private static void payload(byte[] out, long messageId, int ordinal) {
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (messageId >>> (56 - 8 * i));
        }
        out[8] = (byte) (ordinal >>> 16);
        out[9] = (byte) (ordinal >>> 8);
        out[10] = (byte) ordinal;
    }

    /** The full MAC of {@code bytes}' payload and the recipient. */
    private byte[] mac(byte[] bytes, String recipient) {
        Mac mac = key.mac();
        mac.update(purpose);
        mac.update(bytes, 0, PAYLOAD_BYTES);
        mac.update(recipient.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return mac.doFinal();
    }

    private static int value(char c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }
}
