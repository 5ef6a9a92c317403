package io.sluice.smtp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

/**
 * Searches message text eight octets at a time, for the two hot loops of large bodies (docs/BENCHMARKS.md, large
 * bodies): ingress looks for the octets that end or break a line (CR, LF, NUL: {@link #indexOfCrLfNul}), the
 * outbound dot-stuffing for dots ({@link #indexOf}), the body loader for 8-bit text ({@link #anyHighBit}). Each 8-byte word is tested with the SWAR tricks of Hacker's
 * Delight 6-1 ("has a byte less than n", "has a zero byte"), so plain text costs a few operations per eight octets
 * instead of a call per octet ({@code ByteBuf.forEachByte}) or Netty's checked per-word reads.
 *
 * <p>Exact: the lowest flagged byte of a word is always a real candidate (a borrow only ever flags bytes above a
 * real one), words are read little-endian so that byte comes first in the text, and a candidate that is not wanted
 * (a TAB is "less than 0x0e" too) is stepped over. Words are read from the buffer's memory address when it has one
 * (the pooled direct buffers Sluice uses), through {@link ByteBuf#getLongLE} otherwise. Stateless.
 */
public final class LineBytes {
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** Bytes below 0x0e: NUL, LF and CR among them (and a few other controls, checked one by one). */
    private static final long BELOW_0E = ONES * 0x0e;
    /** Whether words can be read straight from a buffer's memory address (little-endian, unaligned reads). */
    private static final boolean RAW = PlatformDependent.hasUnsafe() && PlatformDependent.isUnaligned()
            && !PlatformDependent.BIG_ENDIAN_NATIVE_ORDER;

    private LineBytes() {
    }

    /** Index of the first CR, LF or NUL in {@code buf} at {@code [from, to)}, or -1. */
    static int indexOfCrLfNul(ByteBuf buf, int from, int to) {
        int i = from;
        boolean raw = raw(buf, from, to);
        long base = raw ? buf.memoryAddress() : 0;
        while (i + Long.BYTES <= to) {
            long word = raw ? PlatformDependent.getLong(base + i) : buf.getLongLE(i);
            long low = (word - BELOW_0E) & ~word & HIGHS;
            if (low == 0) {
                i += Long.BYTES;
                continue;
            }
            int at = i + (Long.numberOfTrailingZeros(low) >>> 3);
            byte b = buf.getByte(at);
            if (b == '\r' || b == '\n' || b == 0) {
                return at;
            }
            i = at + 1; // another control octet (TAB, FF, ...): go on after it
        }
        for (; i < to; i++) {
            byte b = buf.getByte(i);
            if (b == '\r' || b == '\n' || b == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first {@code value} in {@code buf} at {@code [from, to)}, or -1. */
    public static int indexOf(ByteBuf buf, int from, int to, byte value) {
        int i = from;
        boolean raw = raw(buf, from, to);
        long base = raw ? buf.memoryAddress() : 0;
        long pattern = ONES * (value & 0xff);
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (raw ? PlatformDependent.getLong(base + i) : buf.getLongLE(i)) ^ pattern;
            long zero = (word - ONES) & ~word & HIGHS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (buf.getByte(i) == value) {
                return i;
            }
        }
        return -1;
    }

    /** Whether some octet of {@code buf} at {@code [from, to)} has its high bit set (8-bit text). */
    public static boolean anyHighBit(ByteBuf buf, int from, int to) {
        int i = from;
        boolean raw = raw(buf, from, to);
        long base = raw ? buf.memoryAddress() : 0;
        long any = 0;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            any |= raw ? PlatformDependent.getLong(base + i) : buf.getLongLE(i);
        }
        for (; i < to; i++) {
            any |= buf.getByte(i);
        }
        return (any & HIGHS) != 0;
    }

    /** Whether words of {@code [from, to)} can be read from the memory address (the range checked once, here). */
    private static boolean raw(ByteBuf buf, int from, int to) {
        if (from < 0 || from > to || to > buf.capacity()) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + buf.capacity());
        }
        return RAW && buf.hasMemoryAddress();
    }
}
