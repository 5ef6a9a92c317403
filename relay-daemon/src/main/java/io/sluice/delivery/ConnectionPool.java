package io.sluice.delivery;

import io.sluice.config.DeliverySettings;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import io.sluice.util.Gcra;

/**
 * Outbound connections of one (source, site) ready queue (docs/architecture.md "Egress"), tagged by MX host.
 *
 * <p>{@link #acquire} hands out a {@link Lease}: an idle connection to the same MX host when one is usable (after a
 * successful RSET, which proves it alive; a failed RSET drops it and the next candidate is tried), else a new one
 * from the {@link OutboundConnector}. How many may be leased at once is not this pool's decision: the scheduler's
 * concurrency window for the path (capped by the path policy, {@code shaping.PathPolicy}) is the one limit on
 * deliveries in flight, and each takes one lease. The pool keeps its connections (leased, opening, idle, and those
 * still closing) within the same policy's cap ({@link #limits}), exactly, as the receiving server counts them: at
 * the cap, an idle connection to another MX host is closed to make room and the new one is opened only once that
 * close has completed (the acquire waits), so a connection being quit never overlaps its replacement. A pool may
 * serve several sites of one provider from one source (the provider's {@code per_source} budget), its connections
 * tagged by MX host as always. After a reload lowers the cap, a released connection above it is closed, not kept.
 *
 * <p>{@link Lease#release()} keeps the connection idle unless it is unusable, has made the policy's deliveries per
 * connection or is {@code connection_max_age} old (then QUIT, or abort when broken). Idle connections are closed
 * after {@code idle_timeout} by one sweep task per pool on {@code timer} (scheduled only while something is idle),
 * not a timer per connection. A broken connection is never reused.
 *
 * <p>Threading: thread-safe; state is guarded by {@code this}, and no I/O or future completion happens under the
 * lock. Lease futures complete on the connection's event loop. {@link #close()} quits idle connections; leased ones
 * are closed when returned, and opens in flight are closed when they complete (their acquire fails with
 * {@link IllegalStateException}).
 */
public final class ConnectionPool {
    private final String name;
    /** Replaced on reload ({@link #connector(OutboundConnector)}): the path's TLS and idle timeout may change. */
    private volatile OutboundConnector connector;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    /** The path policy's limits, guarded by {@code this} ({@link #limits}). */
    private int cap;
    private int maxDeliveries;
    private final long maxAgeNanos;

    /** Idle connections per MX host tag, most recently used first. */
    private final Map<String, ArrayDeque<Pooled>> idleByHost = new HashMap<>();
    private int idle;
    private int leased;
    private int opening;
    /** New connections per period ({@link #connectionRate}), or null; guarded by {@code this}. */
    private Gcra connectionRate;
    private String connectionRateSpec;
    /** Connections taken out of the pool whose close has not completed yet: they still count against the cap. */
    private int closing;
    /** A cap shared with other pools (a provider's total over all sources), or null; set once, before use. */
    private volatile SharedConnectionCap shared;
    /** Acquires that need a new connection and wait for a close to complete (the pool is at its cap). */
    private final ArrayDeque<PendingOpen> waiting = new ArrayDeque<>();
    private long created;
    private long reused;
    private boolean closed;
    private ScheduledFuture<?> sweep;

    /**
     * @param name      for messages and logs, e.g. "default/mx.example.com"
     * @param connector opens connections (its settings give the source, the ages and, until {@link #limits}, the
     *                  limits)
     * @param timer     runs the idle sweep (an event loop group is fine)
     */
    public ConnectionPool(String name, OutboundConnector connector, ScheduledExecutorService timer) {
        this(name, connector, timer, System::nanoTime);
    }

    /**
     * As above, with the clock that ages connections ({@code connection_max_age}, {@code idle_timeout}); tests pass
     * one they can move forward instead of sleeping.
     *
     * @param nanoClock monotonic nanoseconds, like {@link System#nanoTime()}
     */
    public ConnectionPool(String name, OutboundConnector connector, ScheduledExecutorService timer,
                          LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.name = Objects.requireNonNull(name, "name");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.timer = Objects.requireNonNull(timer, "timer");
        DeliverySettings s = connector.settings();
        this.cap = Math.max(1, s.maxConnectionsPerSite());
        this.maxDeliveries = Math.max(1, s.maxDeliveriesPerConnection());
        this.maxAgeNanos = s.connectionMaxAge().toNanos();
    }

    /** The connector for new connections from now on (a reload: the path's TLS or idle timeout changed). */
    public void connector(OutboundConnector next) {
        this.connector = Objects.requireNonNull(next, "next");
    }

    /**
     * Joins a cap shared with other pools ({@link SharedConnectionCap}: a provider's {@code total} over all sources),
     * once, when the pool is made: every connection counts against the cap it was taken from until its close, so a
     * pool never changes caps (a reload changes the cap's number instead, {@link SharedConnectionCap#cap}). Later
     * calls are ignored.
     */
    public synchronized void shareCap(SharedConnectionCap cap) {
        if (this.shared != null || cap == null) {
            return;
        }
        this.shared = cap;
        cap.join(this);
    }

    private long idleTimeoutNanos() {
        return Math.max(1, connector.settings().idleTimeout().toNanos());
    }

    /**
     * The path policy's limits for this pool: connections open at once (leased, opening and idle; at least 1) and
     * transactions per connection. Applies to later acquires and releases; a lower cap closes idle connections as
     * new ones are needed, leased ones finish their transaction.
     */
    public void limits(int connections, int deliveriesPerConnection) {
        synchronized (this) {
            this.cap = Math.max(1, connections);
            this.maxDeliveries = Math.max(1, deliveriesPerConnection);
        }
        admitWaiting(); // a higher cap may let a waiter open now
    }

    /**
     * The path's connection rate: new connections at most {@code count} per {@code periodNanos}, evenly spaced
     * ({@link Gcra#spaced}, at most {@code burst} at once); {@code count} 0 for none. A new connection over the rate
     * is opened when the rate allows (its acquire waits, holding its place in the cap). Unchanged values keep the
     * limiter's state.
     */
    public synchronized void connectionRate(long count, long periodNanos, int burst) {
        if (count <= 0) {
            connectionRate = null;
            connectionRateSpec = null;
            return;
        }
        String spec = count + "/" + periodNanos + "/" + burst;
        if (!spec.equals(connectionRateSpec)) {
            connectionRate = Gcra.spaced(Math.max(1, periodNanos / count), burst, nanoClock.getAsLong() - periodNanos);
            connectionRateSpec = spec;
        }
    }

    /** {@link #acquire(InetSocketAddress, String, boolean)} with STARTTLS allowed. */
    public CompletableFuture<Lease> acquire(InetSocketAddress mx, String mxHostName) {
        return acquire(mx, mxHostName, false);
    }

    /**
     * A lease on a connection to {@code mxHostName} at {@code mx}. Fails with an {@link OutboundException} when
     * opening a new connection failed, with
     * {@link IllegalStateException} when the pool is closed.
     *
     * @param mxHostName         the tag: connections are reused only for the same MX host name (exact string)
     * @param tlsDisabledForSite passed to {@link OutboundConnector#connect} for a new connection
     */
    public CompletableFuture<Lease> acquire(InetSocketAddress mx, String mxHostName, boolean tlsDisabledForSite) {
        Objects.requireNonNull(mx, "mx");
        String tag = mxHostName == null ? mx.getHostString() : mxHostName;
        CompletableFuture<Lease> result = new CompletableFuture<>();
        Pooled candidate;
        int admitted = WAIT;
        List<Pooled> toClose = new ArrayList<>(0);
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection pool " + name
                        + " closed"));
            }
            candidate = takeIdleLocked(tag, toClose);
            if (candidate == null) {
                admitted = admitLocked(new PendingOpen(mx, tag, tlsDisabledForSite, result), toClose);
            }
        }
        closeAll(toClose);
        if (candidate != null) {
            resetThenLease(candidate, mx, tag, tlsDisabledForSite, result);
        } else if (admitted == OPEN) {
            open(mx, tag, tlsDisabledForSite, result);
        } else if (admitted == WAIT_SHARED) {
            shared.reclaimIdle();
        }
        return result;
    }

    /** {@link #admitLocked}'s answers. */
    private static final int OPEN = 0;
    private static final int WAIT = 1;
    private static final int WAIT_SHARED = 2;

    /**
     * A new connection is wanted: {@link #OPEN} when it may be opened now (counted as opening, and in the shared cap);
     * else it waits for a close to complete, an idle connection to another host being closed to make room when there
     * is one ({@link #WAIT}), or one of the shared cap's members being asked for one ({@link #WAIT_SHARED}).
     */
    private int admitLocked(PendingOpen wanted, List<Pooled> toClose) {
        if (waiting.isEmpty() && countLocked() < cap) {
            SharedConnectionCap sharedCap = shared;
            if (sharedCap == null || sharedCap.tryTake()) {
                opening++;
                created++;
                return OPEN;
            }
            waiting.addLast(wanted);
            return WAIT_SHARED; // the shared cap is used up: the caller asks the members for an idle connection
        }
        waiting.addLast(wanted);
        makeRoomLocked(toClose);
        return WAIT;
    }

    /** Every connection the pool answers for: idle, leased, opening and closing. */
    private int countLocked() {
        return idle + leased + opening + closing;
    }

    /** The cap less what is leased, opening or closing, at least 0 (a reload may lower the cap below it). */
    public synchronized int available() {
        return Math.max(0, cap - leased - opening - closing);
    }

    /** Connections taken out whose close has not completed (they still count against the cap). */
    public synchronized int closing() {
        return closing;
    }

    /** Established connections in the pool (idle + leased; not those still opening). */
    public synchronized int open() {
        return idle + leased;
    }

    public synchronized int idle() {
        return idle;
    }

    public synchronized int leased() {
        return leased;
    }

    public synchronized int opening() {
        return opening;
    }

    /** Connection attempts started since the pool was made. */
    public synchronized long created() {
        return created;
    }

    /** Leases served by an existing connection (after RSET) instead of a new one. */
    public synchronized long reused() {
        return reused;
    }

    /** The next hop's port: {@code delivery.mx_port}, or a smarthost's {@code port} (its connector's settings). */
    public int port() {
        return connector.settings().mxPort();
    }

    public String name() {
        return name;
    }

    /** Quits every idle connection; later acquires fail. Completes when the idle connections are closed. */
    public CompletableFuture<Void> close() {
        List<Pooled> toClose = new ArrayList<>();
        List<PendingOpen> refused;
        synchronized (this) {
            closed = true;
            refused = new ArrayList<>(waiting);
            waiting.clear();
            for (ArrayDeque<Pooled> q : idleByHost.values()) {
                toClose.addAll(q);
                q.clear();
            }
            idle = 0;
            if (sweep != null) {
                sweep.cancel(false);
                sweep = null;
            }
        }
        for (PendingOpen p : refused) {
            p.result.completeExceptionally(new IllegalStateException("connection pool " + name + " closed"));
        }
        SharedConnectionCap sharedCap = shared;
        CompletableFuture<?>[] quits = new CompletableFuture<?>[toClose.size()];
        for (int i = 0; i < quits.length; i++) {
            CompletableFuture<Void> quit = toClose.get(i).connection.quit();
            quits[i] = sharedCap == null ? quit : quit.whenComplete((v, e) -> sharedCap.release());
        }
        if (sharedCap != null) {
            sharedCap.leave(this);
        }
        return CompletableFuture.allOf(quits);
    }

    @Override
    public String toString() {
        synchronized (this) {
            return "ConnectionPool[" + name + ", idle " + idle + ", leased " + leased + ", opening " + opening
                    + ", cap " + cap + "]";
        }
    }

    // Lease side.

    void release(Pooled pooled, boolean keep) {
        List<Pooled> toClose = new ArrayList<>(1);
        synchronized (this) {
            leased--;
            long now = nanoClock.getAsLong();
            // Kept only within the cap (a reload may have lowered it) and while nobody waits for room.
            SharedConnectionCap sharedCap = shared;
            if (keep && !closed && reusable(pooled, now) && countLocked() < cap && waiting.isEmpty()
                    && (sharedCap == null || (!sharedCap.over() && !sharedCap.takeWanted()))) {
                pooled.idleSinceNanos = now;
                idleByHost.computeIfAbsent(pooled.tag, t -> new ArrayDeque<>()).addFirst(pooled);
                idle++;
                scheduleSweepLocked(idleTimeoutNanos());
            } else {
                closing++;
                toClose.add(pooled);
            }
        }
        closeAll(toClose);
    }

    // Internals.

    private boolean reusable(Pooled p, long now) {
        OutboundConnection c = p.connection;
        return c.isUsable() && c.deliveries() < maxDeliveries && now - p.createdAtNanos < maxAgeNanos;
    }

    /** Pops the most recent reusable idle connection to {@code tag}, moving it to leased; stale ones to toClose. */
    private Pooled takeIdleLocked(String tag, List<Pooled> toClose) {
        ArrayDeque<Pooled> q = idleByHost.get(tag);
        if (q == null) {
            return null;
        }
        long now = nanoClock.getAsLong();
        Pooled p;
        while ((p = q.pollFirst()) != null) {
            idle--;
            if (reusable(p, now)) {
                leased++;
                reused++;
                return p;
            }
            closing++;
            toClose.add(p);
        }
        return null;
    }

    /**
     * Someone waits for room: the oldest idle connection (to another host: one to the wanted host would have been
     * taken) yields, unless closes already under way will make enough room.
     */
    private void makeRoomLocked(List<Pooled> toClose) {
        if (countLocked() - closing + waiting.size() <= cap) {
            return; // the closes under way free enough room for every waiter
        }
        Pooled oldest = oldestIdleLocked();
        if (oldest != null) {
            idleByHost.get(oldest.tag).pollLast();
            idle--;
            closing++;
            toClose.add(oldest);
        }
    }

    /** The idle connection idle longest, over every MX host, or null. */
    private Pooled oldestIdleLocked() {
        Pooled oldest = null;
        for (ArrayDeque<Pooled> q : idleByHost.values()) {
            Pooled last = q.peekLast();
            if (last != null && (oldest == null || last.idleSinceNanos - oldest.idleSinceNanos < 0)) {
                oldest = last;
            }
        }
        return oldest;
    }

    private void resetThenLease(Pooled candidate, InetSocketAddress mx, String tag, boolean tlsDisabled,
                                CompletableFuture<Lease> result) {
        candidate.connection.reset().whenComplete((reply, error) -> {
            if (error == null && reply.isPositive()) {
                result.complete(new Lease(this, candidate, true));
                return;
            }
            // The slot stays with this acquire: try the next idle connection, else open a new one.
            Pooled next;
            int admitted = WAIT;
            boolean refuse = false;
            List<Pooled> toClose = new ArrayList<>(1);
            toClose.add(candidate);
            synchronized (this) {
                leased--;
                reused--;
                closing++;
                if (closed) {
                    refuse = true;
                    next = null;
                } else {
                    next = takeIdleLocked(tag, toClose);
                    if (next == null) {
                        admitted = admitLocked(new PendingOpen(mx, tag, tlsDisabled, result), toClose);
                    }
                }
            }
            closeAll(toClose);
            if (refuse) {
                result.completeExceptionally(new IllegalStateException("connection pool " + name + " closed"));
            } else if (next != null) {
                resetThenLease(next, mx, tag, tlsDisabled, result);
            } else if (admitted == OPEN) {
                open(mx, tag, tlsDisabled, result);
            } else if (admitted == WAIT_SHARED) {
                shared.reclaimIdle();
            }
        });
    }

    private void open(InetSocketAddress mx, String tag, boolean tlsDisabled, CompletableFuture<Lease> result) {
        long wait;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            wait = connectionRate == null ? 0 : connectionRate.waitNanos(now);
            if (wait == 0 && connectionRate != null) {
                connectionRate.take(now);
            }
        }
        if (wait > 0) { // over the connection rate: open when it allows (the slot stays counted as opening)
            timer.schedule(() -> open(mx, tag, tlsDisabled, result), wait, TimeUnit.NANOSECONDS);
            return;
        }
        CompletableFuture<OutboundConnection> connecting;
        try {
            connecting = connector.connect(mx, tag, tlsDisabled);
        } catch (RuntimeException e) {
            connecting = CompletableFuture.failedFuture(e);
        }
        connecting.whenComplete((connection, error) -> {
            boolean lateClose = false;
            synchronized (this) {
                opening--;
                if (error == null) {
                    if (closed) {
                        lateClose = true;
                    } else {
                        leased++;
                    }
                }
            }
            SharedConnectionCap sharedCap = shared;
            if (error != null) {
                result.completeExceptionally(error);
                if (sharedCap != null) {
                    sharedCap.release(); // wakes this pool's waiters too
                } else {
                    admitWaiting(); // its room is free again
                }
            } else if (lateClose) {
                CompletableFuture<Void> quit = connection.quit();
                if (sharedCap != null) {
                    quit.whenComplete((v, e) -> sharedCap.release());
                }
                result.completeExceptionally(new IllegalStateException("connection pool " + name + " closed"));
            } else {
                result.complete(new Lease(this, new Pooled(tag, connection, nanoClock.getAsLong()), false));
            }
        });
    }

    private void scheduleSweepLocked(long delayNanos) {
        if (sweep == null && !closed) {
            sweep = timer.schedule(this::sweep, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes idle connections past idle_timeout (or broken meanwhile); runs again while anything is idle. */
    private void sweep() {
        List<Pooled> toClose = new ArrayList<>();
        synchronized (this) {
            sweep = null;
            long now = nanoClock.getAsLong();
            long idleTimeout = idleTimeoutNanos();
            long nextDue = Long.MAX_VALUE;
            for (ArrayDeque<Pooled> q : idleByHost.values()) {
                for (Iterator<Pooled> it = q.iterator(); it.hasNext(); ) {
                    Pooled p = it.next();
                    long idleFor = now - p.idleSinceNanos;
                    if (idleFor >= idleTimeout || !p.connection.isUsable()) {
                        it.remove();
                        idle--;
                        closing++;
                        toClose.add(p);
                    } else {
                        nextDue = Math.min(nextDue, idleTimeout - idleFor);
                    }
                }
            }
            if (idle > 0) {
                scheduleSweepLocked(nextDue);
            }
        }
        closeAll(toClose);
    }

    /** Closes connections counted in {@link #closing}; each completed close frees its room for a waiter. */
    private void closeAll(List<Pooled> toClose) {
        for (int i = 0; i < toClose.size(); i++) {
            OutboundConnection c = toClose.get(i).connection;
            CompletableFuture<Void> done;
            if (c.isUsable()) {
                done = c.quit();
            } else {
                c.abort();
                done = c.closeFuture();
            }
            done.whenComplete((v, e) -> closed());
        }
    }

    /** A close completed: its room goes to the first waiter. */
    private void closed() {
        synchronized (this) {
            closing--;
        }
        SharedConnectionCap sharedCap = shared;
        if (sharedCap != null) {
            sharedCap.release(); // wakes every member, this one included
        } else {
            admitWaiting();
        }
    }

    /**
     * Closes the oldest idle connection, if any, for a shared cap that needs room ({@link SharedConnectionCap});
     * true when one was taken out.
     */
    boolean closeOldestIdle() {
        List<Pooled> toClose = new ArrayList<>(1);
        synchronized (this) {
            Pooled oldest = oldestIdleLocked();
            if (oldest == null) {
                return false;
            }
            idleByHost.get(oldest.tag).pollLast();
            idle--;
            closing++;
            toClose.add(oldest);
        }
        closeAll(toClose);
        return true;
    }

    /** Opens connections for waiters while there is room (closing connections count until closed). */
    void admitWaiting() {
        while (true) {
            PendingOpen next;
            boolean reclaim = false;
            List<Pooled> toClose = new ArrayList<>(0);
            synchronized (this) {
                if (waiting.isEmpty() || closed) {
                    return;
                }
                SharedConnectionCap sharedCap = shared;
                if (countLocked() >= cap) {
                    makeRoomLocked(toClose);
                    next = null;
                } else if (sharedCap != null && !sharedCap.tryTake()) {
                    next = null;
                    reclaim = true;
                } else {
                    next = waiting.pollFirst();
                    opening++;
                    created++;
                }
            }
            closeAll(toClose);
            if (reclaim) {
                shared.reclaimIdle();
                return;
            }
            if (next == null) {
                return;
            }
            open(next.mx, next.tag, next.tlsDisabled, next.result);
        }
    }

    /** An acquire waiting for room to open a new connection. */
    private record PendingOpen(InetSocketAddress mx, String tag, boolean tlsDisabled,
                               CompletableFuture<Lease> result) {
    }

    /** One connection of the pool with its MX host tag; lives as long as the connection. */
    static final class Pooled {
        final String tag;
        final OutboundConnection connection;
        /** The pool's clock when the connection was ready (connected, greeted): connection_max_age counts from it. */
        final long createdAtNanos;
        /** Guarded by the pool's lock. */
        long idleSinceNanos;

        Pooled(String tag, OutboundConnection connection, long createdAtNanos) {
            this.tag = tag;
            this.connection = connection;
            this.createdAtNanos = createdAtNanos;
        }
    }
}
