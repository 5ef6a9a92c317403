package io.sluice.scheduler;

import io.sluice.util.Gcra;
import io.sluice.shaping.PathPolicy;
import io.sluice.shaping.PathShape;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Applies the path policy's limits at dispatch (docs/shaping.md "Enforcement"): before a ready queue starts a
 * delivery, its (source, provider) group and the provider's total must have room ({@link PathGroup}), and the
 * message rates of the (source, site), the group and the total must allow one now ({@link Gcra}). A queue that
 * must wait leaves the ring and is brought back by what it waits for: a group's next finished delivery, or the
 * pacing queue when the rate allows the next one (millisecond precision, checked every scheduler cycle; the retry
 * timer wheel's 256 ms ticks are far too coarse for a rate of 100/s). The per-site connection cap is the site's
 * concurrency window ({@link SiteState#concurrency}), capped here too.
 *
 * <p>Each dispatched batch remembers the groups that counted it, so a reload that moves a site to another group
 * still returns the slot to the group that gave it. Scheduler thread only; {@link #mayStart}, {@link #started} and
 * {@link #finished} allocate nothing.
 */
final class PathGate {
    private PathPolicy policy;
    /** Counts policies: a site group's cached shape is good while it was made under the current one. */
    private int generation;
    private final ShapingActions actions;
    private final Map<String, PathGroup> groups = new HashMap<>();
    private final Map<String, PathGroup> totals = new HashMap<>();
    private final PriorityQueue<SiteState> paced = new PriorityQueue<>(
            (a, b) -> Long.compare(a.pacedUntilNanos, b.pacedUntilNanos));
    /** {@link #policy}'s scratch: every waiter, woken before the groups change. */
    private final ArrayDeque<SiteState> woken = new ArrayDeque<>();

    PathGate(PathPolicy policy, ShapingActions actions) {
        this.policy = policy;
        this.actions = actions;
    }

    /** The policy in force. */
    PathPolicy policy() {
        return policy;
    }

    /** The limits of {@code group}'s site, looked up once and cached with it. */
    PathShape shapeOf(SiteGroup group) {
        if (group.shape == null || group.shapeGeneration != generation) {
            group.shape = policy.shape(group.key);
            group.shapeGeneration = generation;
        }
        return group.shape;
    }

    /** Gives a new ready queue its shape, cap, rate and groups. */
    void attach(SiteState s) {
        shapeOf(s.group);
        apply(s);
    }

    /**
     * A reload's policy: every site's shape is looked up again and every queue gets its new cap, rate and groups
     * (queues waiting for a group or paced are woken first, to find their new place under the new limits).
     */
    void policy(PathPolicy next, Iterable<SiteState> states, Consumer<SiteState> wake) {
        this.policy = next;
        generation++; // every cached shape is looked up again, also of groups without a ready queue yet
        for (PathGroup g : groups.values()) {
            drainWaiters(g);
        }
        for (PathGroup g : totals.values()) {
            drainWaiters(g);
        }
        SiteState p;
        while ((p = paced.poll()) != null) { // their rates may have changed: they look again now
            p.paced = false;
            woken.add(p);
        }
        for (SiteState s : states) {
            attach(s);
        }
        SiteState s;
        while ((s = woken.poll()) != null) {
            wake.accept(s);
        }
    }

    private void apply(SiteState s) {
        PathShape shape = s.group.shape;
        s.concurrency.limit(shape.siteConnections());
        if (shape.siteMessageRate() == null) {
            s.rate = null;
        } else if (s.rate == null || !shape.siteMessageRate().equals(s.rateSpec)) {
            s.rate = Gcra.spaced(shape.siteMessageRate().intervalNanos(), shape.siteMessageRate().burst(), 0);
        }
        s.rateSpec = shape.siteMessageRate();
        String source = s.readyKey.source();
        if (shape.provider() == null) { // the default's or unshaped: actions, if any, are the site's own
            s.pathGroup = null;
            s.poolKey = s.readyKey;
            s.actions = actions.existing(source, ShapingActions.targetName(null, s.name));
            return;
        }
        s.actions = null;
        PathGroup g = groups.get(source + '\n' + shape.provider());
        if (g == null) {
            g = new PathGroup(source + "/" + shape.provider(), shape.provider());
            groups.put(source + '\n' + shape.provider(), g);
            g.actions = actions.existing(source, ShapingActions.targetName(shape.provider(), null));
        }
        g.limits(shape.sourceConnections(), shape.sourceMessageRate());
        int mark = PathGroup.markIndex(s.key.mtaSts());
        if (shape.sharesPool() && g.poolKeys[mark] == null) {
            g.poolKeys[mark] = new ReadyKey(source, PathPolicy.poolSite(shape, s.key));
        }
        if (shape.totalConnections() > 0 || shape.totalMessageRate() != null) {
            PathGroup t = totals.computeIfAbsent(shape.provider(), p -> new PathGroup(p, p));
            t.limits(shape.totalConnections(), shape.totalMessageRate());
            g.parent = t;
        } else {
            g.parent = null;
        }
        s.pathGroup = g;
        s.poolKey = shape.sharesPool() ? g.poolKeys[mark] : s.readyKey;
    }

    private void drainWaiters(PathGroup g) {
        SiteState s;
        while ((s = g.waiting.poll()) != null) {
            s.waitingFor = null;
            woken.add(s);
        }
    }

    /**
     * True when {@code s} may start a delivery at {@code nowMillis}; else it is put where it will be woken (its
     * group's waiting list, or the pacing queue) and stays out of the ring until then.
     */
    boolean mayStart(SiteState s, long nowMillis) {
        if (s.waitingFor != null || s.paced) {
            return false; // already waiting: what it waits for brings it back
        }
        PathGroup g = s.pathGroup;
        PathGroup t = g == null ? null : g.parent;
        ActionTarget a = g != null ? g.actions : s.actions;
        if (a != null && a.suspendedUntilMillis > nowMillis) {
            pace(s, a.suspendedUntilMillis * 1_000_000L);
            return false;
        }
        if (g == null && a != null && a.cap > 0 && s.inFlight >= a.cap) {
            return false; // its own next result brings it back (it has deliveries in flight)
        }
        if (g != null && !g.hasRoom()) {
            waitFor(g, s);
            return false;
        }
        if (t != null && !t.hasRoom()) {
            waitFor(t, s);
            return false;
        }
        long nowNanos = nowMillis * 1_000_000L;
        long wait = s.rate == null ? 0 : s.rate.waitNanos(nowNanos);
        if (g != null && g.rate != null) {
            wait = Math.max(wait, g.rate.waitNanos(nowNanos));
        }
        if (t != null && t.rate != null) {
            wait = Math.max(wait, t.rate.waitNanos(nowNanos));
        }
        if (a != null && a.rate != null) {
            wait = Math.max(wait, a.rate.waitNanos(nowNanos));
        }
        if (wait > 0) {
            pace(s, nowNanos + wait);
            return false;
        }
        return true;
    }

    private void pace(SiteState s, long untilNanos) {
        s.paced = true;
        s.pacedUntilNanos = untilNanos;
        paced.add(s);
    }

    /**
     * The actions on {@code target} changed (one applied, ended or lifted): queues held back by them look again now
     * (those paced for a suspension or a rate leave the pacing queue, those waiting for their group's room rejoin
     * the ring; each is put back where it belongs if it still cannot go).
     */
    void actionsChanged(ActionTarget target, Consumer<SiteState> wake) {
        java.util.Iterator<SiteState> it = paced.iterator();
        while (it.hasNext()) {
            SiteState s = it.next();
            if ((s.pathGroup != null ? s.pathGroup.actions : s.actions) == target) {
                it.remove();
                s.paced = false;
                woken.add(s);
            }
        }
        for (PathGroup g : groups.values()) {
            if (g.actions == target) {
                drainWaiters(g);
            }
        }
        SiteState s;
        while ((s = woken.poll()) != null) {
            wake.accept(s);
        }
    }

    /** {@code b} of {@code s} was dispatched at {@code nowMillis}: the rates take it and the groups count it. */
    void started(SiteState s, Batch b, long nowMillis) {
        long nowNanos = nowMillis * 1_000_000L;
        if (s.rate != null) {
            s.rate.take(nowNanos);
        }
        PathGroup g = s.pathGroup;
        ActionTarget a = g != null ? g.actions : s.actions;
        if (a != null && a.rate != null) {
            a.rate.take(nowNanos);
        }
        b.countedIn = g;
        b.countedInTotal = g == null ? null : g.parent;
        if (g != null) {
            g.inFlight++;
            if (g.rate != null) {
                g.rate.take(nowNanos);
            }
            PathGroup t = g.parent;
            if (t != null) {
                t.inFlight++;
                if (t.rate != null) {
                    t.rate.take(nowNanos);
                }
            }
        }
    }

    /** {@code b}'s delivery ended (or was handed back): its groups have room again and wake their waiters. */
    void finished(Batch b, Consumer<SiteState> wake) {
        finished(b.countedIn, wake);
        finished(b.countedInTotal, wake);
        b.countedIn = null;
        b.countedInTotal = null;
    }

    private static void finished(PathGroup g, Consumer<SiteState> wake) {
        if (g == null) {
            return;
        }
        g.inFlight--;
        SiteState s;
        while ((s = g.waiting.poll()) != null) { // all of them: one may find nothing ready and leave the slot
            s.waitingFor = null;
            wake.accept(s);
        }
    }

    /** Brings back every paced queue whose time has come; returns how many. */
    int wakeDue(long nowMillis, Consumer<SiteState> wake) {
        long nowNanos = nowMillis * 1_000_000L;
        int n = 0;
        SiteState s;
        while ((s = paced.peek()) != null && s.pacedUntilNanos - nowNanos <= 0) {
            paced.poll();
            s.paced = false;
            wake.accept(s);
            n++;
        }
        return n;
    }

    private static void waitFor(PathGroup g, SiteState s) {
        s.waitingFor = g;
        g.waiting.addLast(s);
    }
}
