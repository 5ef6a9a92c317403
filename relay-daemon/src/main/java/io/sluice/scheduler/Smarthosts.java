package io.sluice.scheduler;

import io.sluice.config.SmarthostSettings;
import io.sluice.dns.Destination;
import io.sluice.dns.MxResolver;
import io.sluice.dns.SiteKey;
import io.sluice.routing.Route;
import io.sluice.routing.Router;
import io.sluice.routing.SmarthostPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The smarthosts of the current routes as the scheduler sees them ({@link Smarthost}: site, circuit breaker,
 * addresses), and which one a batch on a smarthost route goes to ({@link #choose}).
 *
 * <p>Choice, in the route's failover order, skipping the smarthosts this batch already failed on in this round
 * ({@link Batch#smarthostsFailed}) and those whose host has no address yet: the first whose breaker is closed, or
 * is open with its cooldown over and nothing waiting there yet (this batch becomes its probe, so traffic returns to
 * a preferred smarthost as soon as its probe gets in); else none ({@link #waitingPlace} then names the smarthost
 * whose probe comes first, where mail waits).
 *
 * <p>Addresses: a host given as an IP literal is known at once; a name is looked up ({@link MxResolver#resolveHost},
 * A/AAAA, never MX) when the smarthost appears and again every {@value #REFRESH_MILLIS} ms (every
 * {@value #UNRESOLVED_RETRY_MILLIS} ms while it has none); a failed refresh keeps the last addresses. The lookup's
 * answer comes back through a bounded queue (one lookup in flight per smarthost, at most {@value #MAX_SMARTHOSTS}
 * smarthosts, so the queue cannot refuse it).
 *
 * <p>Smarthosts are kept by name across reloads (a breaker keeps its state; a changed host is looked up again; a
 * changed {@code circuit} applies to later failures). Scheduler thread, except the lookups' completions (one offer
 * and a wake-up).
 */
final class Smarthosts {
    static final long REFRESH_MILLIS = 60_000;
    static final long UNRESOLVED_RETRY_MILLIS = 5_000;
    static final int MAX_SMARTHOSTS = 1024;

    /** One smarthost: its site (the key of its ready queues, one per source), breaker and addresses. */
    static final class Smarthost {
        final String name;
        final SiteGroup group;
        /** The breaker, shared by every ready queue of {@link #group} (so it is per smarthost). */
        final SiteHealth breaker;
        SmarthostSettings settings;
        /** Known addresses (one host), or null while none is known. Scheduler thread. */
        Destination.Hosts hosts;
        /** Why {@link #hosts} is null (the last lookup's failure), or null. */
        String unresolved;
        /** The breaker was open when last looked at ({@link #observe}). */
        boolean wasOpen;
        boolean resolving;
        long nextLookupAtMillis;
        /** A lookup's answer, written by the resolver's thread, read once it is handed over. */
        volatile Destination answer;
        String resolvingHost;
        /** Some route of the current settings names it (else a reload removed it: its ready mail is re-placed). */
        boolean inUse;
        /** Times the breaker opened, and closed again, since start (metrics). */
        long opened;
        long closed;
        /** The failure count the last snapshot shows ({@link SmarthostCircuits}). */
        int publishedFailures;

        Smarthost(SmarthostSettings settings) {
            this.name = settings.name();
            this.settings = settings;
            this.group = new SiteGroup(SiteKey.smarthost(name));
            this.group.smarthost = this;
            this.breaker = SiteHealth.circuit(settings.circuit().openAfter(), settings.circuit().cooldown().toMillis());
        }
    }

    /** What a result did to a breaker ({@link #observe}). */
    enum Transition { NONE, OPENED, HALF_OPEN, CLOSED, PROBE_FAILED }

    private final MxResolver resolver;
    private final Runnable wakeUp;
    private final Map<String, Smarthost> byName = new HashMap<>();
    /** The same smarthosts, walked by index every cycle (no iterator). */
    private final List<Smarthost> list = new ArrayList<>();
    private final ManyToOneConcurrentArrayQueue<Smarthost> answers =
            new ManyToOneConcurrentArrayQueue<>(MAX_SMARTHOSTS);

    Smarthosts(MxResolver resolver, Runnable wakeUp) {
        this.resolver = resolver;
        this.wakeUp = wakeUp;
    }

    /** The smarthosts the routes of {@code router} name: new ones made, known ones given their new settings. */
    void change(Router router, long now) {
        for (Smarthost h : list) {
            h.inUse = false;
        }
        for (Route r : router.routes()) {
            if (r.path() instanceof SmarthostPath path) {
                for (SmarthostSettings s : path.smarthosts()) {
                    Smarthost h = byName.get(s.name());
                    if (h != null) {
                        h.inUse = true;
                    }
                    if (h == null) {
                        if (byName.size() >= MAX_SMARTHOSTS) {
                            throw new IllegalStateException("more than " + MAX_SMARTHOSTS + " smarthosts");
                        }
                        h = new Smarthost(s);
                        h.inUse = true;
                        byName.put(s.name(), h);
                        list.add(h);
                        h.nextLookupAtMillis = now;
                    } else if (!h.settings.equals(s)) {
                        if (!h.settings.host().equals(s.host())) {
                            h.hosts = null; // a new host: its addresses are not known yet
                            h.nextLookupAtMillis = now;
                        }
                        h.settings = s;
                        h.breaker.circuitLimits(s.circuit().openAfter(), s.circuit().cooldown().toMillis());
                    }
                }
            }
        }
    }

    /** Every smarthost known so far (routes may no longer name some). */
    List<Smarthost> all() {
        return list;
    }

    /** Starts the lookups that are due; returns how many. */
    int lookUp(long now) {
        int n = 0;
        for (int i = 0; i < list.size(); i++) {
            Smarthost h = list.get(i);
            if (!h.resolving && now >= h.nextLookupAtMillis) {
                h.resolving = true;
                h.resolvingHost = h.settings.host();
                resolver.resolveHost(h.resolvingHost).thenAccept(answer -> {
                    h.answer = answer;
                    answers.offer(h); // cannot fail: one lookup per smarthost, capacity = most smarthosts
                    wakeUp.run();
                });
                n++;
            }
        }
        return n;
    }

    /**
     * Takes the lookups' answers; {@code gotAddresses} hears of each smarthost that had none and has some now (its
     * ready queues may go). Returns how many answers came.
     */
    int drain(long now, java.util.function.Consumer<Smarthost> gotAddresses) {
        int n = 0;
        Smarthost h;
        while ((h = answers.poll()) != null) {
            n++;
            h.resolving = false;
            Destination answer = h.answer;
            h.answer = null;
            if (!h.resolvingHost.equals(h.settings.host())) {
                h.nextLookupAtMillis = now; // the host changed while this lookup ran
                continue;
            }
            if (answer instanceof Destination.Hosts hosts) {
                boolean had = h.hosts != null;
                h.hosts = hosts;
                h.unresolved = null;
                h.nextLookupAtMillis = now + REFRESH_MILLIS;
                if (!had) {
                    gotAddresses.accept(h);
                }
            } else {
                h.unresolved = answer instanceof Destination.Temporary t ? t.reply()
                        : answer instanceof Destination.Permanent p ? p.reply() : String.valueOf(answer);
                h.nextLookupAtMillis = now + (h.hosts == null ? UNRESOLVED_RETRY_MILLIS : REFRESH_MILLIS);
            }
        }
        return n;
    }

    /**
     * The smarthost {@code b} goes to now on {@code path} (see the class comment), or null when none can take it
     * now. Allocation-free.
     */
    Smarthost choose(Batch b, SmarthostPath path, long now) {
        List<SmarthostSettings> list = path.smarthosts();
        for (int i = 0; i < list.size(); i++) {
            if (i < Long.SIZE && (b.smarthostsFailed & (1L << i)) != 0) {
                continue;
            }
            Smarthost h = byName.get(list.get(i).name());
            if (h == null || h.hosts == null) {
                continue;
            }
            if (!h.breaker.isDead() || h.breaker.mayConnect(now) && !h.group.hasReady()) {
                return h; // closed, or open with its cooldown over: this batch is its probe
            }
        }
        return null;
    }

    /**
     * Where mail on {@code path} waits when no smarthost can take it ({@link #choose} gave null): a closed one with
     * addresses (when a batch failed on every one: it waits behind that queue's window), else the open one whose
     * probe comes first (its queue is held until then), else the first one.
     */
    Smarthost waitingPlace(SmarthostPath path) {
        Smarthost best = null;
        for (SmarthostSettings s : path.smarthosts()) {
            Smarthost h = byName.get(s.name());
            if (h == null) {
                continue;
            }
            if (best == null || rank(h) < rank(best)
                    || rank(h) == rank(best) && h.breaker.isDead()
                    && h.breaker.nextProbeAtMillis() < best.breaker.nextProbeAtMillis()) {
                best = h;
            }
        }
        return best;
    }

    /** For {@link #waitingPlace}: closed with addresses first, then open with addresses, then without addresses. */
    private static int rank(Smarthost h) {
        return h.hosts == null ? 2 : h.breaker.isDead() ? 1 : 0;
    }

    /** Whether some smarthost of {@code path} with addresses has its breaker closed. */
    boolean anyClosed(SmarthostPath path) {
        for (SmarthostSettings s : path.smarthosts()) {
            Smarthost h = byName.get(s.name());
            if (h != null && h.hosts != null && !h.breaker.isDead()) {
                return true;
            }
        }
        return false;
    }

    /** The position of smarthost {@code h} in {@code path} (its failover order), or -1. */
    static int indexOf(SmarthostPath path, Smarthost h) {
        List<SmarthostSettings> list = path.smarthosts();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(h.name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What the last result did to {@code h}'s breaker: opened it, closed it, a failed probe (still open), or
     * nothing. {@code probeFailed}: the result was the probe's and it failed.
     */
    static Transition observe(Smarthost h, boolean probeFailed) {
        boolean open = h.breaker.isDead();
        Transition t = open && !h.wasOpen ? Transition.OPENED
                : !open && h.wasOpen ? Transition.CLOSED
                : open && probeFailed ? Transition.PROBE_FAILED : Transition.NONE;
        h.wasOpen = open;
        return t;
    }

    /**
     * The state of every smarthost on {@code path} for a deferral's text, e.g.
     * {@code esp-a open (3 failures, probe in 25s), esp-b closed}.
     */
    String describe(SmarthostPath path, long now) {
        List<String> parts = new ArrayList<>(path.smarthosts().size());
        for (SmarthostSettings s : path.smarthosts()) {
            Smarthost h = byName.get(s.name());
            parts.add(h == null ? s.name() + " unknown" : s.name() + " " + stateOf(h, now));
        }
        return String.join(", ", parts);
    }

    /** One smarthost's state in words: {@code closed}, {@code open (3 failures, probe in 25s)}, {@code half-open}. */
    static String stateOf(Smarthost h, long now) {
        if (h.hosts == null) {
            return "unresolved" + (h.unresolved == null ? "" : " (" + h.unresolved + ")");
        }
        String state = h.breaker.circuitState();
        if ("open".equals(state)) {
            long in = Math.max(0, h.breaker.nextProbeAtMillis() - now);
            return state + " (" + h.breaker.consecutiveFailures() + " failures, probe in " + (in + 999) / 1000 + "s)";
        }
        return state;
    }
}
