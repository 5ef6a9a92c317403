package io.sluice.journal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A message's recipients as one byte array: {@code count x (u16 little-endian length + UTF-8)}, the same bytes
 * that QUEUED, ACCEPTED and checkpoint entries carry. The pending set keeps this array instead of String objects,
 * which keeps a million pending recipients near 135 MiB of heap.
 *
 * <p>Limits: 1 to {@link #MAX_RECIPIENTS} recipients, each at most 65,535 bytes, the block at most
 * {@link #MAX_LENGTH} bytes; {@link #encode} throws {@link IllegalArgumentException} otherwise. Stateless.
 */
public final class RecipientBlock {
    /** Most recipients in one message. */
    public static final int MAX_RECIPIENTS = 0xFFFF;
    /** Largest block, keeping QUEUED and checkpoint excerpts well under Chronicle's 16 MiB default limit. */
    public static final int MAX_LENGTH = 8 << 20;

    private RecipientBlock() {
    }

    /** Encodes {@code recipients}; the one allocation is the returned array, which the pending set retains. */
    public static byte[] encode(List<String> recipients) {
        int count = recipients.size();
        if (count < 1 || count > MAX_RECIPIENTS) {
            throw new IllegalArgumentException("a message needs 1 to " + MAX_RECIPIENTS + " recipients, got " + count);
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            int n = Utf8Field.utf8Length(recipients.get(i));
            if (n > Utf8Field.MAX_BYTES) {
                throw new IllegalArgumentException("recipient " + i + " is " + n + " UTF-8 bytes; the limit is "
                    + Utf8Field.MAX_BYTES);
            }
            total += Utf8Field.LENGTH_PREFIX + n;
        }
        if (total > MAX_LENGTH) {
            throw new IllegalArgumentException("recipients take " + total + " bytes; the limit is " + MAX_LENGTH);
        }
        byte[] block = new byte[(int) total];
        int pos = 0;
        for (int i = 0; i < count; i++) {
            pos = put(block, pos, recipients.get(i));
        }
        return block;
    }

    private static int put(byte[] block, int pos, String s) {
        // Recipients are ASCII in the common case; fall back to the JDK encoder only for the rest.
        int len = s.length();
        boolean ascii = true;
        for (int i = 0; i < len && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        byte[] utf8 = ascii ? null : s.getBytes(StandardCharsets.UTF_8);
        int n = ascii ? len : utf8.length;
        block[pos] = (byte) n;
        block[pos + 1] = (byte) (n >>> 8);
        pos += 2;
        if (ascii) {
            for (int i = 0; i < len; i++) {
                block[pos + i] = (byte) s.charAt(i);
            }
        } else {
            System.arraycopy(utf8, 0, block, pos, n);
        }
        return pos + n;
    }

    /** Number of recipients in {@code block}; throws {@link JournalFormatException} if it is malformed. */
    public static int count(byte[] block) {
        int n = 0;
        int pos = 0;
        while (pos < block.length) {
            if (pos + 2 > block.length) {
                throw new JournalFormatException("truncated recipient block");
            }
            pos += 2 + Utf8Field.u16(block, pos);
            n++;
        }
        if (pos != block.length) {
            throw new JournalFormatException("recipient block overruns its length");
        }
        return n;
    }

    /** Recipient {@code index} (0-based). */
    public static String get(byte[] block, int index) {
        int pos = 0;
        for (int i = 0; i < index; i++) {
            pos += 2 + Utf8Field.u16(block, pos);
        }
        int n = Utf8Field.u16(block, pos);
        return new String(block, pos + 2, n, StandardCharsets.UTF_8);
    }

    /** All recipients, in order. */
    public static List<String> decode(byte[] block) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < block.length) {
            int n = Utf8Field.u16(block, pos);
            out.add(new String(block, pos + 2, n, StandardCharsets.UTF_8));
            pos += 2 + n;
        }
        return out;
    }
}
