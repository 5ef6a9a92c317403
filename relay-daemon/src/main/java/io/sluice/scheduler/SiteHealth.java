package io.sluice.scheduler;

/**
 * Connection health of one site (the MX host set of its destinations), after Postfix's dead-destination idea
 * (docs/architecture.md "Retries and health"): after {@code failuresToDie} connection attempts in a row fail, the site
 * is dead; its queue is held and only one probe connection is allowed, at growing intervals ({@code firstProbe},
 * doubling up to {@code maxProbe}), instead of a timer per message. One successful connection revives it.
 *
 * <p>A site that let us in a moment ago (within {@code firstProbe}) and then dies is probably flapping or restarting,
 * not gone: its first probe comes after {@link #RECENTLY_HEALTHY_FIRST_PROBE_MILLIS} (doubling from there), so
 * an MX that is down half the time is not held for a whole {@code firstProbe} each time it blinks.
 *
 * <p>A "failure" here is the site not letting us in (refused, timed out, greeted with 421/554, TLS required but
 * missing), not a reply about one message. While dead, only the probe's failure lengthens the probe interval: the
 * other connections still out when the site died (up to the site's connection cap) fail after it, and counting
 * them would push the first probe from {@code firstProbe} towards {@code maxProbe}. Owned by the scheduler thread;
 * not thread-safe; allocation-free.
 *
 * <p>A smarthost's circuit breaker ({@link #circuit}) is the same machine with the breaker's words: open = dead
 * (after {@code open_after} failures in a row, a timeout counting once), half-open = its probe in flight, one probe
 * per {@code cooldown} (no doubling, no shortcut), closed again on the first connection that gets in. One instance
 * is shared by every ready queue of the smarthost (one per source), so the breaker is per smarthost.
 */
public final class SiteHealth {
    /** First probe of a site that let us in within {@code firstProbe} before it died (if shorter than that). */
    public static final long RECENTLY_HEALTHY_FIRST_PROBE_MILLIS = 5_000;

    private int failuresToDie;
    private long firstProbeMillis;
    private long maxProbeMillis;
    /** How many failures a timeout counts as: 2 for a site (a tarpit holds a slot), 1 for a breaker. */
    private final int timeoutWeight;
    /** Whether a site that let us in recently gets its first probe early (sites yes, breakers no). */
    private final boolean earlyFirstProbe;

    private int consecutiveFailures;
    private boolean dead;
    private boolean probeInFlight;
    private long probeIntervalMillis;
    private long nextProbeAtMillis;
    /** When a connection last succeeded; {@code Long.MIN_VALUE} while none has. */
    private long lastConnectedAtMillis = Long.MIN_VALUE;

    public SiteHealth(int failuresToDie, long firstProbeMillis, long maxProbeMillis) {
        this(failuresToDie, firstProbeMillis, maxProbeMillis, 2, true);
    }

    private SiteHealth(int failuresToDie, long firstProbeMillis, long maxProbeMillis, int timeoutWeight,
                       boolean earlyFirstProbe) {
        this.timeoutWeight = timeoutWeight;
        this.earlyFirstProbe = earlyFirstProbe;
        limits(failuresToDie, firstProbeMillis, maxProbeMillis);
    }

    /** A smarthost's circuit breaker: opens after {@code openAfter} failures in a row, probes every cooldown. */
    public static SiteHealth circuit(int openAfter, long cooldownMillis) {
        return new SiteHealth(openAfter, cooldownMillis, cooldownMillis, 1, false);
    }

    /** A reload's {@code open_after} and {@code cooldown}: later failures and probes follow them. */
    public void circuitLimits(int openAfter, long cooldownMillis) {
        limits(openAfter, cooldownMillis, cooldownMillis);
    }

    private void limits(int failuresToDie, long firstProbeMillis, long maxProbeMillis) {
        if (failuresToDie < 1 || firstProbeMillis <= 0 || maxProbeMillis < firstProbeMillis) {
            throw new IllegalArgumentException("bad site health settings");
        }
        this.failuresToDie = failuresToDie;
        this.firstProbeMillis = firstProbeMillis;
        this.maxProbeMillis = maxProbeMillis;
    }

    /** Whether a new connection may be opened now (always while alive; one probe when due while dead). */
    public boolean mayConnect(long nowMillis) {
        return !dead || !probeInFlight && nowMillis >= nextProbeAtMillis;
    }

    /** A connection attempt starts; returns true when it is the dead site's probe (pass that back on its result). */
    public boolean connecting() {
        if (dead) {
            probeInFlight = true;
        }
        return dead;
    }

    /** The attempt begun by {@link #connecting} never happened (handed back untried): a probe is not used up. */
    public void notConnecting(boolean probe) {
        if (probe) {
            probeInFlight = false;
        }
    }

    /** The site let us in at {@code nowMillis}: alive again. */
    public void connected(long nowMillis) {
        lastConnectedAtMillis = nowMillis;
        consecutiveFailures = 0;
        dead = false;
        probeInFlight = false;
        probeIntervalMillis = 0;
    }

    /**
     * A connection attempt failed at {@code nowMillis}; {@code probe} is what {@link #connecting} returned for it.
     * A non-probe failure while dead (an attempt started before the site died) changes nothing but the count.
     */
    public void connectFailed(long nowMillis, boolean probe) {
        connectFailed(nowMillis, probe, 1);
    }

    /**
     * A connection attempt timed out (connect or greeting) at {@code nowMillis}: it counts as two failures, since
     * a site that lets connections hang holds a slot for the whole timeout each time (a tarpit); otherwise as
     * {@link #connectFailed(long, boolean)}.
     */
    public void connectTimedOut(long nowMillis, boolean probe) {
        connectFailed(nowMillis, probe, timeoutWeight);
    }

    private void connectFailed(long nowMillis, boolean probe, int weight) {
        consecutiveFailures += weight;
        if (dead) {
            if (!probe) {
                return;
            }
            probeInFlight = false;
            probeIntervalMillis = Math.min(maxProbeMillis, probeIntervalMillis * 2);
            nextProbeAtMillis = nowMillis + probeIntervalMillis;
        } else if (consecutiveFailures >= failuresToDie) {
            dead = true;
            boolean recentlyHealthy = earlyFirstProbe && lastConnectedAtMillis != Long.MIN_VALUE
                    && nowMillis - lastConnectedAtMillis <= firstProbeMillis;
            probeIntervalMillis = recentlyHealthy
                    ? Math.min(firstProbeMillis, RECENTLY_HEALTHY_FIRST_PROBE_MILLIS) : firstProbeMillis;
            nextProbeAtMillis = nowMillis + probeIntervalMillis;
        }
    }

    /** An operator's flush: a dead site's next probe may start at {@code nowMillis} (no effect while alive). */
    public void probeNow(long nowMillis) {
        if (dead) {
            nextProbeAtMillis = Math.min(nextProbeAtMillis, nowMillis);
        }
    }

    /** The last connection attempt succeeded (and one has): the site is known to take mail now. */
    public boolean isHealthy() {
        return lastConnectedAtMillis != Long.MIN_VALUE && consecutiveFailures == 0;
    }

    public boolean isDead() {
        return dead;
    }

    /** Dead and its one probe is out (a breaker's half-open state). */
    public boolean probeInFlight() {
        return dead && probeInFlight;
    }

    /** How a breaker names this state: {@code closed}, {@code open} or {@code half-open}. */
    public String circuitState() {
        return !dead ? "closed" : probeInFlight ? "half-open" : "open";
    }

    /** When the next probe may start (meaningful while dead). */
    public long nextProbeAtMillis() {
        return nextProbeAtMillis;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }
}
