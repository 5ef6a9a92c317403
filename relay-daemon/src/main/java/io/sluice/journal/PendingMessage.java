package io.sluice.journal;

import io.sluice.model.RouteInputs;
import java.util.List;

/**
 * One message in the {@link PendingSet}: its ids, its recipients (as a {@link RecipientBlock}), which of them
 * still wait for a final outcome, and the retry schedule of those that were deferred (failed attempts so far and
 * next due time, from the last DEFERRED record), when it was received, and where its ACCEPTED record is now (the
 * compactor moves it, see {@link RelocatedDescriptor}).
 *
 * <p>Memory: one object (about 64 bytes) plus the recipient block; the pending flags live in a {@code long} for
 * the first 64 recipients and in an array only beyond that. The retry schedule costs nothing until a recipient is
 * first deferred, then one packed {@code long} per recipient of the message (attempts in the top 16 bits, clamped
 * to 65535; next due in the low 48 bits, clamped to [0, 2^48) ms, i.e. until the year 10889), plus the array
 * header. Threading: owned by the pending set's owner thread.
 */
public final class PendingMessage {
    /** Low bits of a retry word that hold the next due time. */
    static final int DUE_BITS = 48;
    static final long MAX_DUE_MILLIS = (1L << DUE_BITS) - 1;
    static final int MAX_ATTEMPTS = 0xFFFF;

    private final long id;
    /** Changes only when the compactor relocates the ACCEPTED record (writer thread). */
    private long bodiesIndex;
    private final long receivedAtMillis;
    private final byte[] recipientBlock;
    private final char recipientCount;
    private char pendingCount;
    private long lowBits;
    private final long[] highBits;
    /** Packed retry word per recipient ({@link #packRetry}), 0 = never deferred; null until the first deferral. */
    private long[] retries;
    /** Shared with other messages of equal inputs ({@link PendingSet#intern}). */
    private final RouteInputs routeInputs;

    PendingMessage(long id, long bodiesIndex, long receivedAtMillis, byte[] recipientBlock, int recipientCount,
                   RouteInputs routeInputs) {
        this.id = id;
        this.routeInputs = routeInputs;
        this.bodiesIndex = bodiesIndex;
        this.receivedAtMillis = receivedAtMillis;
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

    /** Index of the ACCEPTED record in {@code bodies/}: where it is now (after any relocation). */
    public long bodiesIndex() {
        return bodiesIndex;
    }

    /**
     * When the message was accepted (epoch millis, as in its ACCEPTED record): the start of its {@code max_age}.
     * For messages queued by a build before QUEUED version 2, the id's time floor ({@link MessageIds#timeFloorMillis}).
     */
    public long receivedAtMillis() {
        return receivedAtMillis;
    }

    /** What the message's route is chosen by; {@link RouteInputs#UNKNOWN} for mail queued before they were kept. */
    public RouteInputs routeInputs() {
        return routeInputs;
    }

    void relocate(long newBodiesIndex) {
        bodiesIndex = newBodiesIndex;
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

    /** True if recipient {@code recipientIndex} is pending and was deferred at least once. */
    public boolean isDeferred(int recipientIndex) {
        return retryWord(recipientIndex) != 0;
    }

    /** Failed attempts so far of a pending recipient (from its last DEFERRED), 0 if never deferred. */
    public int attempts(int recipientIndex) {
        return (int) (retryWord(recipientIndex) >>> DUE_BITS);
    }

    /** When a deferred recipient is due again (epoch millis), 0 if never deferred. */
    public long nextDueMillis(int recipientIndex) {
        return retryWord(recipientIndex) & MAX_DUE_MILLIS;
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
        if (retries != null) {
            retries[recipientIndex] = 0;
        }
        return true;
    }

    /** Sets the retry schedule of a pending recipient; returns false (changing nothing) if it is not pending. */
    boolean defer(int recipientIndex, int attempts, long nextDueMillis) {
        if (!isPending(recipientIndex)) {
            return false;
        }
        if (retries == null) {
            retries = new long[recipientCount];
        }
        retries[recipientIndex] = packRetry(attempts, nextDueMillis);
        return true;
    }

    /** True if some recipient was ever deferred (the checkpoint then writes the retry words). */
    boolean hasRetries() {
        return retries != null;
    }

    /** The packed retry word of recipient {@code i}: 0 when never deferred or no longer pending. */
    long retryWord(int recipientIndex) {
        if (retries == null || recipientIndex < 0 || recipientIndex >= recipientCount) {
            return 0;
        }
        return retries[recipientIndex];
    }

    /** Restores retry words from a checkpoint; words of recipients that are not pending are dropped. */
    void restoreRetries(long[] words) {
        for (int i = 0; i < recipientCount; i++) {
            if (words[i] != 0 && isPending(i)) {
                if (retries == null) {
                    retries = new long[recipientCount];
                }
                retries[i] = words[i];
            }
        }
    }

    /** Attempts (clamped to [1, 65535]) in the top 16 bits, next due (clamped to [0, 2^48)) below: never 0. */
    static long packRetry(int attempts, long nextDueMillis) {
        long a = Math.max(1, Math.min(MAX_ATTEMPTS, attempts));
        long due = Math.max(0, Math.min(MAX_DUE_MILLIS, nextDueMillis));
        return a << DUE_BITS | due;
    }

    @Override
    public String toString() {
        return "PendingMessage[" + MessageIds.format(id) + ", " + (int) pendingCount + "/" + (int) recipientCount + "]";
    }
}
