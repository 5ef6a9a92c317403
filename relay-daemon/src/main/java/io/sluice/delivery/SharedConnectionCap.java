package io.sluice.delivery;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connection cap shared by several {@link ConnectionPool}s: a provider's {@code total} connections over every
 * source (docs/shaping.md), whose sources each have their own pools. Every connection of a member pool holds one
 * unit from the moment it is decided to open it until its close has completed, so the provider never sees more than
 * the cap, idle connections included. A member that needs a new connection when the cap is used up waits, and asks
 * the members to give back an idle connection (the oldest of the first member that has one), and a connection
 * released meanwhile closes instead of staying idle; the close's completion returns the unit and wakes the waiting
 * members. (The scheduler keeps deliveries in flight within the same cap, so
 * when it is used up some of it is idle or closing.)
 *
 * <p>Thread-safe: its own lock guards the count only; it never calls into a pool while holding it, and pools call
 * {@link #tryTake} under their own lock (order: pool, then this).
 */
public final class SharedConnectionCap {
    private final String name;
    private final CopyOnWriteArrayList<ConnectionPool> members = new CopyOnWriteArrayList<>();
    private int cap;
    private int count;
    /** Opens refused for the cap since the last one it allowed: so many released connections close, not idle. */
    private int wanted;

    /** No cap: a provider whose {@code total} a reload removed keeps its object, counting, never refusing. */
    public static final int NONE = Integer.MAX_VALUE / 2;

    /** @param cap connections at once over all member pools, at least 1 ({@link #NONE}: none) */
    public SharedConnectionCap(String name, int cap) {
        this.name = name;
        this.cap = Math.max(1, cap);
    }

    /** A reload's cap; lower than what is open, the members close connections as they are released. */
    public void cap(int next) {
        synchronized (this) {
            this.cap = Math.max(1, next);
        }
        wakeMembers();
    }

    void join(ConnectionPool pool) {
        members.addIfAbsent(pool);
    }

    void leave(ConnectionPool pool) {
        members.remove(pool);
    }

    /** Takes one unit for a connection about to open; false when the cap is used up. */
    synchronized boolean tryTake() {
        if (count < cap) {
            count++;
            wanted = 0;
            return true;
        }
        wanted++;
        return false;
    }

    /**
     * Whether a released connection should close rather than stay idle, because a member waits for room (one
     * answer per refused open): the close's completion then lets that member open its connection.
     */
    synchronized boolean takeWanted() {
        if (wanted > 0) {
            wanted--;
            return true;
        }
        return false;
    }

    /** True when keeping one more connection (idle) would pass the cap (a reload lowered it). */
    synchronized boolean over() {
        return count > cap;
    }

    /** A connection's close completed (or it never opened): its unit is free; waiting members try again. */
    void release() {
        synchronized (this) {
            count--;
        }
        wakeMembers();
    }

    /** Asks the members, in order, to close one idle connection to make room; false when none had one. */
    boolean reclaimIdle() {
        for (ConnectionPool p : members) {
            if (p.closeOldestIdle()) {
                return true;
            }
        }
        return false;
    }

    /** Connections counted now (opening, leased, idle, closing) over all members. */
    public synchronized int count() {
        return count;
    }

    private void wakeMembers() {
        for (ConnectionPool p : members) {
            p.admitWaiting();
        }
    }

    @Override
    public String toString() {
        return "SharedConnectionCap[" + name + ", " + count() + "]";
    }
}
