package io.sluice.scheduler;

import io.sluice.model.RouteInputs;
import java.util.List;

/**
 * The scheduler's unit of work: some recipients of one message at one domain (at most one task's worth), waiting
 * for DNS, ready at a site, in flight, or waiting for a retry timer. Mutable, reused across attempts and, once
 * done, recycled for another message by {@link BatchPool}; linked intrusively into at most one
 * {@link BatchQueue} (or the pool's free list) at a time. Scheduler thread only.
 *
 * <p>Memory: a batch lives as long as its recipients are pending, so with a destination down for days there is one
 * per deferred message. Its arrays therefore start at {@link #INITIAL_ROOM} and double up to the capacity (at most
 * {@code max_recipients_per_transaction}) only for messages with more recipients at one domain: about 150 bytes for
 * a one-recipient message instead of three arrays of the full capacity (1.3 KB at the default 100).
 */
final class Batch {
    long messageId;
    long bodiesIndex;
    long receivedAtMillis;
    DomainState domain;
    static final int INITIAL_ROOM = 2;

    private final int capacity;
    int[] indexes;
    String[] addresses;
    /** Failed attempts so far, per recipient. */
    int[] attempts;
    int size;
    long timerId = RetryTimers.NONE;
    /** When the current (or last) task of this batch was dispatched, for the attempt's duration. */
    long dispatchedAtMillis;
    /** Whether the current (or last) task of this batch is its dead site's probe ({@link SiteHealth#connecting}). */
    boolean probing;
    /** Whether the current task holds one of the slots of sites not known healthy ({@link DispatchRing}). */
    boolean untrustedSlot;
    SiteState site;
    /** The groups that counted this batch's delivery in flight ({@link PathGate}), until it ends. */
    PathGroup countedIn;
    PathGroup countedInTotal;
    /** What the message's route is chosen by (shared, never null once taken from the pool). */
    RouteInputs routeInputs = RouteInputs.UNKNOWN;
    /** The lane slot of its route ({@link Lanes}), set when it is placed in a ready queue. */
    int lane;
    /** Its route's and pool's names as of its last placement (events, metrics); null before the first. */
    String routeName;
    /** Its route's VERP domain as of its last routing, or null (no VERP: DSNs to the sender as usual). */
    String verpDomain;
    String poolName;
    /**
     * On a smarthost route: bit i set when the route's smarthost i failed this batch in the current round (connection
     * or session trouble), so it fails over to the next at once; cleared when the batch is deferred.
     */
    long smarthostsFailed;
    /** On a retry timer because every smarthost of its route failed it: a breaker that closes retries it now. */
    boolean waitsForSmarthost;
    /**
     * The last temporary failure (for the expiry DSN, as Postfix reports it): reply code (0: none), enhanced status,
     * text, and the MX host that replied (null when Sluice decided it: DNS, connection trouble). Lost on restart
     * (the DEFERRED records keep it on disk; an expiry before the next attempt then reports max_age alone).
     * Equal replies share their strings ({@link BatchOutcomes}), so a site failing alike costs no text per batch.
     */
    int lastCode;
    String lastStatus;
    String lastText;
    String lastMx;
    Batch next;
    /** Why the batch is parked by an operator ({@link QueueSteering}): {@link #NOT_PARKED}, suspended or held. */
    byte parked;
    static final byte NOT_PARKED = 0;
    static final byte PARKED_SUSPENDED = 1;
    static final byte PARKED_HELD = 2;

    Batch(int capacity) {
        this.capacity = capacity;
        int room = Math.min(capacity, INITIAL_ROOM);
        this.indexes = new int[room];
        this.addresses = new String[room];
        this.attempts = new int[room];
    }

    /** Makes this (empty) batch the start of a batch of message {@code messageId} at {@code domain}. */
    Batch reset(long messageId, long bodiesIndex, long receivedAtMillis, DomainState domain) {
        this.messageId = messageId;
        this.bodiesIndex = bodiesIndex;
        this.receivedAtMillis = receivedAtMillis;
        this.domain = domain;
        this.size = 0;
        this.timerId = RetryTimers.NONE;
        this.dispatchedAtMillis = 0;
        this.probing = false;
        this.untrustedSlot = false;
        this.site = null;
        this.next = null;
        this.parked = NOT_PARKED;
        this.smarthostsFailed = 0;
        this.routeName = null;
        this.verpDomain = null;
        this.poolName = null;
        this.waitsForSmarthost = false;
        forgetLastReply();
        return this;
    }

    /** Drops references so a pooled batch pins no addresses or states. */
    void clear() {
        java.util.Arrays.fill(addresses, 0, addresses.length, null);
        domain = null;
        site = null;
        countedIn = null;
        countedInTotal = null;
        size = 0;
        routeInputs = RouteInputs.UNKNOWN;
        forgetLastReply();
    }

    void forgetLastReply() {
        lastCode = 0;
        lastStatus = null;
        lastText = null;
        lastMx = null;
    }

    void add(int index, String address, int failedAttempts) {
        if (size == indexes.length) {
            grow();
        }
        indexes[size] = index;
        addresses[size] = address;
        attempts[size] = failedAttempts;
        size++;
    }

    boolean isFull() {
        return size == capacity;
    }

    private void grow() {
        int room = Math.min(capacity, indexes.length * 2);
        indexes = java.util.Arrays.copyOf(indexes, room);
        addresses = java.util.Arrays.copyOf(addresses, room);
        attempts = java.util.Arrays.copyOf(attempts, room);
    }

    int maxAttempts() {
        int max = 0;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, attempts[i]);
        }
        return max;
    }

    /**
     * The task for this batch's next attempt (the batch must have a site, and it or the domain hosts: a smarthost's
     * site gives its host's addresses, an MX site the domain's MX hosts). A new task per
     * dispatch, built with the fewest objects the immutable task allows (the task, its two int arrays, and one
     * immutable recipient list that is a single object for one or two recipients): it goes to other threads and
     * lives as long as the delivery stage and its events hold it, which the scheduler cannot see.
     */
    DeliveryTask toTask(long taskId, boolean probe) {
        int[] next = new int[size];
        for (int i = 0; i < size; i++) {
            next[i] = attempts[i] + 1;
        }
        List<String> recipients = switch (size) {
            case 1 -> List.of(addresses[0]);
            case 2 -> List.of(addresses[0], addresses[1]);
            default -> List.of(java.util.Arrays.copyOf(addresses, size));
        };
        List<io.sluice.dns.MxHost> hosts = site.group.smarthost != null ? site.group.smarthost.hosts.hosts()
                : domain.hosts.hosts();
        return new DeliveryTask(taskId, messageId, bodiesIndex, receivedAtMillis, domain.name, site.readyKey,
                site.poolKey, site.group.shape, hosts, recipients, java.util.Arrays.copyOf(indexes, size), next, probe,
                verpDomain);
    }
}
