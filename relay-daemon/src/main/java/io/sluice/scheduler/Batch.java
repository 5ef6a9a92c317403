package io.sluice.scheduler;

/**
 * The scheduler's unit of work: some recipients of one message at one domain (at most one task's worth), waiting
 * for DNS, ready at a site, in flight, or waiting for a retry timer. Mutable, reused across attempts, linked
 * intrusively into at most one {@link BatchQueue} at a time. Scheduler thread only.
 */
final class Batch {
    final long messageId;
    final long bodiesIndex;
    final long receivedAtMillis;
    final DomainState domain;
    final int[] indexes;
    final String[] addresses;
    /** Failed attempts so far, per recipient. */
    final int[] attempts;
    int size;
    long timerId = Long.MIN_VALUE;
    /** When the current (or last) task of this batch was dispatched, for the attempt's duration. */
    long dispatchedAtMillis;
    SiteState site;
    Batch next;

    Batch(long messageId, long bodiesIndex, long receivedAtMillis, DomainState domain, int capacity) {
        this.messageId = messageId;
        this.bodiesIndex = bodiesIndex;
        this.receivedAtMillis = receivedAtMillis;
        this.domain = domain;
        this.indexes = new int[capacity];
        this.addresses = new String[capacity];
        this.attempts = new int[capacity];
    }

    void add(int index, String address, int failedAttempts) {
        indexes[size] = index;
        addresses[size] = address;
        attempts[size] = failedAttempts;
        size++;
    }

    boolean isFull() {
        return size == indexes.length;
    }

    int maxAttempts() {
        int max = 0;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, attempts[i]);
        }
        return max;
    }

    /** The task for this batch's next attempt (the domain must have hosts and the batch a site). */
    DeliveryTask toTask(long taskId, boolean probe) {
        int[] next = new int[size];
        for (int i = 0; i < size; i++) {
            next[i] = attempts[i] + 1;
        }
        return new DeliveryTask(taskId, messageId, bodiesIndex, receivedAtMillis, domain.name, site.key,
                domain.hosts.hosts(), java.util.List.of(java.util.Arrays.copyOf(addresses, size)),
                java.util.Arrays.copyOf(indexes, size), next, probe);
    }
}
