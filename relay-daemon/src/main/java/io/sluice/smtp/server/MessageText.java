package io.sluice.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The text buffer of the message a session is receiving or handing to the journal, and its share of the global
 * {@link InflightBudget}: bytes are counted as they arrive ({@link #accountGrowth}) and returned when the buffer is
 * released. The buffer leaves {@link SubmissionHygiene#HEADROOM} octets in front for the headers added at accept.
 *
 * <p>One per session, event loop only. At most one buffer at a time.
 */
final class MessageText {
    private static final int INITIAL_TEXT_CAPACITY = 16 * 1024;

    private final InflightBudget budget;
    private ByteBuf buffer;
    private long accounted;

    MessageText(InflightBudget budget) {
        this.budget = budget;
    }

    /** A new, empty buffer that can grow to {@code maxMessageBytes} of text. */
    ByteBuf begin(ByteBufAllocator alloc, long maxMessageBytes) {
        int capacity = SubmissionHygiene.HEADROOM + (int) maxMessageBytes;
        buffer = alloc.directBuffer(Math.min(SubmissionHygiene.HEADROOM + INITIAL_TEXT_CAPACITY, capacity), capacity);
        buffer.writerIndex(SubmissionHygiene.HEADROOM).readerIndex(SubmissionHygiene.HEADROOM);
        accounted = 0;
        return buffer;
    }

    /** Counts what arrived since the last call against the budget. */
    void accountGrowth() {
        if (buffer != null) {
            long grown = buffer.writerIndex() - accounted;
            if (grown > 0) {
                budget.add(grown);
                accounted += grown;
            }
        }
    }

    ByteBuf buffer() {
        return buffer;
    }

    /** After submission hygiene replaced the buffer with a copy (it released the old one). */
    void replace(ByteBuf replacement) {
        buffer = replacement;
    }

    /** Replaces the buffer with a larger copy of it (a header put in front) and releases the old one. */
    void replaceAndRelease(ByteBuf replacement) {
        ByteBuf old = buffer;
        buffer = replacement;
        old.release();
    }

    boolean isOpen() {
        return buffer != null;
    }

    /** Releases the buffer and returns its memory to the budget; harmless when there is none. */
    void release() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
            budget.release(accounted);
            accounted = 0;
        }
    }
}
