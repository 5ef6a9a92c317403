package io.sluice.journal;

import io.sluice.model.RouteInputs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The messages that still have recipients without a final outcome: id to {@link PendingMessage}, with the retry
 * schedule (attempts, next due) of deferred recipients. Built by {@link Recovery}, then owned and updated by the
 * journal writer as it appends QUEUED, DEFERRED, OUTCOME and RELOCATED records, and snapshotted by it into CHECKPOINT
 * records.
 *
 * <p>Threading: all methods except {@link #pendingMessages()}, {@link #pendingRecipients()} and
 * {@link #pendingRecipientsOf} belong to one owner
 * thread at a time (recovery's caller, then the writer thread; {@link JournalWriter#start} hands it over). The two
 * counters are volatile, written only by the owner, so back-pressure checks on event loops read them freely.
 *
 * <p>Memory: an Agrona primitive map (no boxed keys) plus one small object and one byte array per message; about
 * 150 bytes per single-recipient message (measured by {@code PendingSetTest}), so a million pending recipients take
 * roughly 145 MiB of heap, and less per recipient for multi-recipient messages. A deferred message adds one
 * {@code long[]} of one word per recipient (24 bytes for a single recipient): a million deferred single-recipient
 * messages take roughly 170 MiB. The {@link OldestPending} ring adds a fixed 256 KiB. Route inputs are interned:
 * messages with equal inputs share one {@link RouteInputs} (a reference per message); the table forgets everything
 * past {@link #MAX_INTERNED} distinct inputs (sharing restarts, nothing is lost). Pending recipients are also counted
 * per AUTH identity (for quotas): one counter per identity ever seen, kept for the process's life (identities come
 * from the users files, so there are few).
 */
public final class PendingSet {
    /** Distinct route inputs remembered for sharing before the table starts over. */
    static final int MAX_INTERNED = 65_536;
    private final Map<RouteInputs, RouteInputs> interned = new HashMap<>();
    /** Pending recipients per AUTH identity (quotas); written by the owner, read from any thread. */
    private final ConcurrentHashMap<String, AtomicLong> byAuthUser = new ConcurrentHashMap<>();
    private final Long2ObjectHashMap<PendingMessage> byId = new Long2ObjectHashMap<>(1024, 0.65f, true);
    private volatile long pendingMessages;
    private volatile long pendingRecipients;
    /** Received times of the messages in the set, for the oldest-pending age (no scan at scrape). */
    private final OldestPending oldest = new OldestPending();

    /** Messages with at least one pending recipient; readable from any thread. */
    public long pendingMessages() {
        return pendingMessages;
    }

    /** Recipients without a final outcome; readable from any thread. */
    public long pendingRecipients() {
        return pendingRecipients;
    }

    /** Recipients without a final outcome of messages submitted by AUTH identity {@code authUser}; any thread. */
    public long pendingRecipientsOf(String authUser) {
        AtomicLong n = byAuthUser.get(authUser);
        return n == null ? 0 : n.get();
    }

    private void countForUser(RouteInputs inputs, int delta) {
        if (!inputs.authUser().isEmpty()) {
            AtomicLong n = byAuthUser.get(inputs.authUser());
            if (n == null) {
                n = byAuthUser.computeIfAbsent(inputs.authUser(), u -> new AtomicLong());
            }
            n.addAndGet(delta);
        }
    }

    /** When the oldest pending message was received, and its age; readable from any thread. */
    public OldestPending oldest() {
        return oldest;
    }

    /**
     * Adds a message with all its recipients pending, received at its id's time floor; returns false (and changes
     * nothing) if the id is present.
     */
    public boolean add(long id, long bodiesIndex, List<String> recipients) {
        return add(id, bodiesIndex, MessageIds.timeFloorMillis(id), recipients);
    }

    /** Adds a message with all its recipients pending; returns false (and changes nothing) if the id is present. */
    public boolean add(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients) {
        byte[] block = RecipientBlock.encode(recipients);
        return add(id, bodiesIndex, receivedAtMillis, block, recipients.size(), RouteInputs.UNKNOWN);
    }

    boolean add(long id, long bodiesIndex, long receivedAtMillis, byte[] recipientBlock, int recipientCount,
                RouteInputs routeInputs) {
        if (byId.containsKey(id)) {
            return false;
        }
        PendingMessage m = new PendingMessage(id, bodiesIndex, receivedAtMillis, recipientBlock, recipientCount,
                intern(routeInputs));
        byId.put(id, m);
        oldest.added(receivedAtMillis);
        pendingMessages = pendingMessages + 1;
        pendingRecipients = pendingRecipients + recipientCount;
        countForUser(m.routeInputs(), recipientCount);
        return true;
    }

    /**
     * Adds a message from a checkpoint entry, with the given pending bitmap and retry words (one per recipient,
     * {@link PendingMessage#packRetry} format, or null when none was deferred).
     */
    boolean restore(long id, long bodiesIndex, long receivedAtMillis, byte[] recipientBlock, int recipientCount,
                    long[] bitmap, long[] retryWords, RouteInputs routeInputs) {
        if (byId.containsKey(id)) {
            return false;
        }
        PendingMessage m = new PendingMessage(id, bodiesIndex, receivedAtMillis, recipientBlock, recipientCount,
                intern(routeInputs));
        for (int i = 0; i < bitmap.length; i++) {
            m.setWord(i, m.word(i) & bitmap[i]);
        }
        m.recount();
        if (retryWords != null) {
            m.restoreRetries(retryWords);
        }
        if (m.pendingCount() == 0) {
            return true;
        }
        byId.put(id, m);
        oldest.added(receivedAtMillis);
        pendingMessages = pendingMessages + 1;
        pendingRecipients = pendingRecipients + m.pendingCount();
        countForUser(m.routeInputs(), m.pendingCount());
        return true;
    }

    /** The shared instance equal to {@code inputs}. Owner thread. */
    RouteInputs intern(RouteInputs inputs) {
        RouteInputs known = interned.get(inputs);
        if (known != null) {
            return known;
        }
        if (interned.size() >= MAX_INTERNED) {
            interned.clear();
        }
        interned.put(inputs, inputs);
        return inputs;
    }

    /**
     * Records a final outcome for one recipient. Returns false if that recipient is not pending (unknown message,
     * index out of range, or already final). A message leaves the set with its last pending recipient.
     */
    public boolean complete(long id, int recipientIndex) {
        PendingMessage m = byId.get(id);
        if (m == null || !m.complete(recipientIndex)) {
            return false;
        }
        pendingRecipients = pendingRecipients - 1;
        countForUser(m.routeInputs(), -1);
        if (m.pendingCount() == 0) {
            byId.remove(id);
            oldest.removed(m.receivedAtMillis());
            pendingMessages = pendingMessages - 1;
        }
        return true;
    }

    /**
     * Records the retry schedule of one recipient after a failed attempt (a DEFERRED record): {@code attempts}
     * failed attempts so far, due again at {@code nextDueMillis}. The last call wins. Returns false (changing
     * nothing) if that recipient is not pending. Attempts are kept clamped to [1, 65535] and the due time to
     * [0, 2^48) ms (see {@link PendingMessage}).
     */
    public boolean defer(long id, int recipientIndex, int attempts, long nextDueMillis) {
        PendingMessage m = byId.get(id);
        return m != null && m.defer(recipientIndex, attempts, nextDueMillis);
    }

    /**
     * Records that the message's ACCEPTED record now lives at {@code newBodiesIndex} (a RELOCATED record). Returns
     * false (changing nothing) if the message is not pending.
     */
    public boolean relocate(long id, long newBodiesIndex) {
        PendingMessage m = byId.get(id);
        if (m == null) {
            return false;
        }
        m.relocate(newBodiesIndex);
        return true;
    }

    /** The pending message with this id, or null. */
    public PendingMessage get(long id) {
        return byId.get(id);
    }

    /** True if recipient {@code recipientIndex} of message {@code id} has no final outcome yet. */
    public boolean isPending(long id, int recipientIndex) {
        PendingMessage m = byId.get(id);
        return m != null && m.isPending(recipientIndex);
    }

    /** Visits every pending message, in no particular order. */
    public void forEach(Consumer<PendingMessage> visitor) {
        byId.forEachLong((id, m) -> visitor.accept(m));
    }

    @Override
    public String toString() {
        return "PendingSet[" + pendingMessages + " messages, " + pendingRecipients + " recipients]";
    }
}
