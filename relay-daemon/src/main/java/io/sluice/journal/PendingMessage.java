package io.sluice.journal;

import java.util.List;

/**
 * One message in the {@link PendingSet}: its ids, its recipients (as a {@link RecipientBlock}) and which of them
 * still wait for a final outcome.
 *
 * <p>Memory: one object (about 48 bytes) plus the recipient block; the pending flags live in a {@code long} for
 * the first 64 recipients and in an array only beyond that. Threading: owned by the pending set's owner thread.
 */
public final class PendingMessage {
    private final long id;
    private final long bodiesIndex;
    private final byte[] recipientBlock;
    private final char recipientCount;
    private char pendingCount;
    private long lowBits;
    private final long[] highBits;

    PendingMessage(long id, long bodiesIndex, byte[] recipientBlock, int recipientCount) {
        this.id = id;
        this.bodiesIndex = bodiesIndex;
        this.recipientBlock = recipientBlock;
        this.recipientCount = (char) recipientCount;
        this.pendingCount = (char) recipientCount;
        this.highBits = recipientCount > 64 ? new long[CheckpointDescriptor.bitmapWords(recipientCount) - 1] : null;
        for (int i = 0; i < CheckpointDescriptor.bitmapWords(recipientCount); i++) {
            int bitsInWord = Math.min(64, recipientCount - i * 64);
            setWord(i, bitsInWord == 64 ? -1L : (1L << bitsInWord) - 1);
        }
    }

    public long id() {
        return id;
    }

    /** Index of the ACCEPTED record in {@code bodies/}. */
    public long bodiesIndex() {
        return bodiesIndex;
    }

    public int recipientCount() {
        return recipientCount;
    }

    /** Recipients without a final outcome yet. */
    public int pendingCount() {
        return pendingCount;
    }

    public boolean isPending(int recipientIndex) {
        if (recipientIndex < 0 || recipientIndex >= recipientCount) {
            return false;
        }
        return (word(recipientIndex >>> 6) & (1L << recipientIndex)) != 0;
    }

    /** Recipient {@code index} (decoded on each call). */
    public String recipient(int index) {
        if (index < 0 || index >= recipientCount) {
            throw new IndexOutOfBoundsException(index);
        }
        return RecipientBlock.get(recipientBlock, index);
    }

    /** All recipients, pending or not, in RCPT order (decoded on each call). */
    public List<String> recipients() {
        return RecipientBlock.decode(recipientBlock);
    }

    byte[] recipientBlock() {
        return recipientBlock;
    }

    /** Pending-flag word {@code i}: bit b set means recipient {@code i * 64 + b} is pending. */
    long word(int i) {
        return i == 0 ? lowBits : highBits[i - 1];
    }

    void setWord(int i, long bits) {
        if (i == 0) {
            lowBits = bits;
        } else {
            highBits[i - 1] = bits;
        }
    }

    /** Recomputes the pending count after {@link #setWord}. */
    void recount() {
        int n = 0;
        for (int i = 0; i < CheckpointDescriptor.bitmapWords(recipientCount); i++) {
            n += Long.bitCount(word(i));
        }
        pendingCount = (char) n;
    }

    /** Clears recipient {@code index}; returns false if it was not pending. */
    boolean complete(int recipientIndex) {
        if (!isPending(recipientIndex)) {
            return false;
        }
        int w = recipientIndex >>> 6;
        setWord(w, word(w) & ~(1L << recipientIndex));
        pendingCount--;
        return true;
    }

    @Override
    public String toString() {
        return "PendingMessage[" + MessageIds.format(id) + ", " + (int) pendingCount + "/" + (int) recipientCount + "]";
    }
}
