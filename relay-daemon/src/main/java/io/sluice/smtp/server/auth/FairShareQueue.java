package io.sluice.smtp.server.auth;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * The verifier's waiting room: a bounded queue of pending checks that gives every client its fair share, so that a
 * few flooding addresses cannot fill it and push everyone else out with {@code 454}.
 *
 * <p>Rules, for a client's <em>load</em> (its checks queued plus running) and <em>strikes</em> (its recent failures,
 * read from the {@link FailureThrottle} through the function given to the constructor):
 * <ol>
 *   <li><b>Per-client ceiling.</b> A client with {@code maxPerClient} checks queued or running is refused
 *       ({@link Admission#REJECTED}) whatever the queue holds: it pays for its own excess, nobody else does.</li>
 *   <li><b>Room left:</b> the check is queued.</li>
 *   <li><b>Queue full:</b> the <em>worst</em> client with something queued (most strikes, then highest load) gives
 *       up its newest queued check to the newcomer ({@link Admission#DISPLACED}; the caller answers the displaced
 *       check with 454) if that client is clearly worse off than the newcomer: more strikes, or as many strikes and
 *       a load at least two higher than the newcomer's (so two clients never take a slot back and forth). Otherwise
 *       the newcomer is refused. Consequences: a client that has not failed recently is never displaced by one that
 *       has, and always displaces one that has; a client with a single check waiting is never displaced by a peer
 *       with as many strikes. Only in the first moments of a flood from fresh addresses, before any of them has
 *       failed, can a newcomer be refused because every slot holds one check of a different client.</li>
 *   <li><b>Dispatch round-robin by client:</b> {@link #poll} takes the oldest check of the next client in rotation,
 *       so a newcomer's check waits behind at most one check of each other client, not behind a flood.</li>
 * </ol>
 *
 * <p>Bounds: at most {@code capacity} checks queued; a client is tracked only while it has a check queued or
 * running, so the map holds at most {@code capacity} plus the number of workers. A full-queue admission scans the
 * clients with queued checks (at most {@code capacity}) once; everything else is O(1) apart from removing a client
 * from the rotation when its last queued check is displaced.
 *
 * <p>Threading: thread-safe, one lock. The strikes function is called under it, so it must not call back into this
 * queue (the throttle has its own lock and never does). Items are opaque; completing a displaced or rejected check
 * is the caller's job, outside the lock.
 *
 * @param <T> a pending check
 */
final class FairShareQueue<T> {

    /** What {@link #offer} did with a check. */
    enum Admission {
        /** Queued; the queue grew by one. */
        QUEUED,
        /** Queued in place of another client's check, which the result carries; the size is unchanged. */
        DISPLACED,
        /** Not queued: the client is at its ceiling, or the queue is full of clients no worse off than it. */
        REJECTED
    }

    private final int capacity;
    private final int maxPerClient;
    private final ToIntFunction<ClientKey> strikes;
    private final Map<ClientKey, Client<T>> clients = new HashMap<>();
    /** Clients with at least one queued check, in dispatch order. */
    private final ArrayDeque<Client<T>> rotation = new ArrayDeque<>();
    private int queued;

    /**
     * @param capacity     checks that may wait, at least 1
     * @param maxPerClient checks one client may have queued or running, at least 1
     * @param strikes      a client's recent failures (higher = displaced first); must not block for long
     */
    FairShareQueue(int capacity, int maxPerClient, ToIntFunction<ClientKey> strikes) {
        if (capacity < 1 || maxPerClient < 1) {
            throw new IllegalArgumentException("capacity and maxPerClient must be >= 1: " + capacity + ", "
                    + maxPerClient);
        }
        this.capacity = capacity;
        this.maxPerClient = maxPerClient;
        this.strikes = Objects.requireNonNull(strikes, "strikes");
    }

    /**
     * What {@link #offer} did, and for {@link Admission#DISPLACED} the check that lost its place (else null).
     *
     * @param <T> a pending check
     */
    record Result<T>(Admission admission, T displaced) {
    }

    @SuppressWarnings("rawtypes")
    private static final Result QUEUED = new Result<>(Admission.QUEUED, null);
    @SuppressWarnings("rawtypes")
    private static final Result REJECTED = new Result<>(Admission.REJECTED, null);

    /** Offers {@code item} for {@code key} under the rules in the class comment. */
    @SuppressWarnings("unchecked")
    synchronized Result<T> offer(ClientKey key, T item) {
        Objects.requireNonNull(item, "item");
        Client<T> client = clients.get(Objects.requireNonNull(key, "key"));
        int load = client == null ? 0 : client.load();
        if (load >= maxPerClient) {
            return REJECTED;
        }
        T displaced = null;
        if (queued >= capacity) {
            Client<T> worst = worstWithQueued();
            if (worst == null || !clearlyWorse(worst, key, load)) {
                return REJECTED;
            }
            displaced = worst.waiting.pollLast();
            queued--;
            if (worst.waiting.isEmpty()) {
                rotation.remove(worst);
                forgetIfIdle(worst);
            }
        }
        if (client == null) {
            client = new Client<>(key);
            clients.put(key, client);
        }
        if (client.waiting.isEmpty()) {
            rotation.addLast(client);
        }
        client.waiting.addLast(item);
        queued++;
        return displaced == null ? QUEUED : new Result<>(Admission.DISPLACED, displaced);
    }

    /**
     * Takes the oldest check of the next client in rotation and counts it as running for that client; null if
     * nothing is queued. Every non-null result must be followed by one {@link #done} for the same key.
     */
    synchronized T poll() {
        Client<T> client = rotation.pollFirst();
        if (client == null) {
            return null;
        }
        T item = client.waiting.pollFirst();
        queued--;
        client.running++;
        if (!client.waiting.isEmpty()) {
            rotation.addLast(client);
        }
        return item;
    }

    /** A check of {@code key} taken by {@link #poll} has finished. */
    synchronized void done(ClientKey key) {
        Client<T> client = clients.get(key);
        if (client != null && client.running > 0) {
            client.running--;
            forgetIfIdle(client);
        }
    }

    /** Removes {@code item} if it is still queued (its dispatch could not be scheduled); true if it was. */
    synchronized boolean remove(ClientKey key, T item) {
        Client<T> client = clients.get(key);
        if (client == null || !client.waiting.remove(item)) {
            return false;
        }
        queued--;
        if (client.waiting.isEmpty()) {
            rotation.remove(client);
            forgetIfIdle(client);
        }
        return true;
    }

    /** Removes and returns every queued check (on close); running checks stay counted until {@link #done}. */
    synchronized List<T> drain() {
        List<T> all = new ArrayList<>(queued);
        for (Client<T> client : rotation) {
            all.addAll(client.waiting);
            client.waiting.clear();
            forgetIfIdle(client);
        }
        rotation.clear();
        queued = 0;
        return all;
    }

    /** Checks waiting. */
    synchronized int size() {
        return queued;
    }

    /** Checks queued or running for {@code key}. */
    synchronized int load(ClientKey key) {
        Client<T> client = clients.get(key);
        return client == null ? 0 : client.load();
    }

    private Client<T> worstWithQueued() {
        Client<T> worst = null;
        int worstStrikes = -1;
        for (Client<T> candidate : rotation) {
            int s = strikes.applyAsInt(candidate.key);
            if (s > worstStrikes || (s == worstStrikes && candidate.load() > worst.load())) {
                worst = candidate;
                worstStrikes = s;
            }
        }
        return worst;
    }

    private boolean clearlyWorse(Client<T> worst, ClientKey newcomer, int newcomerLoad) {
        if (worst.key.equals(newcomer)) {
            return false;
        }
        int worstStrikes = strikes.applyAsInt(worst.key);
        int newcomerStrikes = strikes.applyAsInt(newcomer);
        return worstStrikes > newcomerStrikes
                || (worstStrikes == newcomerStrikes && worst.load() >= newcomerLoad + 2);
    }

    private void forgetIfIdle(Client<T> client) {
        if (client.load() == 0) {
            clients.remove(client.key);
        }
    }

    /** One client's queued checks (oldest first) and how many of its checks are running. */
    private static final class Client<T> {
        final ClientKey key;
        final ArrayDeque<T> waiting = new ArrayDeque<>(2);
        int running;

        Client(ClientKey key) {
            this.key = key;
        }

        int load() {
            return waiting.size() + running;
        }
    }
}
