package io.sluice.journal;

/**
 * Text form of message ids: exactly 16 lowercase hex digits, zero-padded (e.g. {@code 0186a3f2c4500001}).
 *
 * <p>Contract: {@link #format} and {@link #parse} are inverse over all 64-bit values (ids are unsigned for
 * display). {@link #encode} is the allocation-free form for reply encoders. Stateless, thread-safe. Ids themselves
 * come from {@link Journal#nextMessageId()}.
 */
public final class MessageIds {
    /** Characters in the text form. */
    public static final int LENGTH = 16;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private MessageIds() {
    }

    /**
     * The time floor of an id issued by {@link Journal#nextMessageId()}: epoch millis at or before the time it was
     * issued (the journal's open time, or the previous run's if ids had to continue above it). The received time
     * of messages whose records predate the received-time field.
     */
    public static long timeFloorMillis(long id) {
        return id >>> MessageIdSequence.TIME_SHIFT;
    }

    /** The 16-character lowercase hex form of {@code id}. */
    public static String format(long id) {
        byte[] out = new byte[LENGTH];
        encode(id, out, 0);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Writes the 16 ASCII hex digits of {@code id} into {@code dst} at {@code offset}; no allocation. */
    public static void encode(long id, byte[] dst, int offset) {
        for (int i = LENGTH - 1; i >= 0; i--) {
            dst[offset + i] = HEX[(int) (id & 0xF)];
            id >>>= 4;
        }
    }

    /**
     * Parses the text form. Upper-case digits are accepted (operators paste ids); anything but exactly 16 hex
     * digits throws {@link IllegalArgumentException} naming the input.
     */
    public static long parse(String text) {
        if (text == null || text.length() != LENGTH) {
            throw new IllegalArgumentException("message id must be 16 hex digits: " + text);
        }
        long id = 0;
        for (int i = 0; i < LENGTH; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("message id must be 16 hex digits: " + text);
            }
            id = (id << 4) | digit;
        }
        return id;
    }
}
