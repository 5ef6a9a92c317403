package io.sluice.smtp.server.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed AUTH attempts per client and refuses further attempts from a client that failed too often: at most
 * {@code maxFailures} failures within any sliding {@link #WINDOW_NANOS one-minute} window.
 *
 * <p>Attempts in progress count too, once a client has failed: a client with {@code f >= 1} recent failures may
 * have at most {@code maxFailures - f} checks in flight, so an attacker cannot queue a burst of guesses from many
 * connections before its first failure is recorded. A client with no recent failure has no in-flight limit (an
 * application opening a pool of connections that all AUTH at once must not throttle itself); the verifier's bounded
 * queue caps that burst.
 *
 * <p>Keys ({@code K}, a value with equals and hashCode): {@link AuthVerifier} keeps two throttles, one per
 * {@link ClientKey} (an IPv4 address, or the /64 prefix of an IPv6 address) with a high ceiling, and one per
 * {@link ClientUser} (client and user name) with the configured limit, so one application with a bad password
 * locks out only itself, not every application on its host.
 *
 * <p>Memory bound: at most {@code maxClients} clients are tracked, each with a ring of {@code maxFailures}
 * timestamps; the least recently used client is evicted first. Under an attack from more addresses than that,
 * eviction may forget a throttled client early; the map never grows without bound. A client with no recent failure
 * and nothing in flight is dropped.
 *
 * <p>Policy: a refused attempt is not recorded as a failure (a client that backs off for a minute gets through
 * again), and a success does not clear earlier failures (one good account must not reset the count for an attacker
 * guessing others). {@code maxFailures == 0} disables throttling.
 *
 * <p>Threading: thread-safe (one lock; the work under it is a map lookup and a scan of at most {@code maxFailures}
 * longs). Times are {@link System#nanoTime()}-style values passed in by the caller.
 */
final class FailureThrottle<K> {

    /** The sliding window: one minute. */
    static final long WINDOW_NANOS = 60_000_000_000L;

    private final int maxFailures;
    private final int maxClients;
    /** Access order: the eldest entry is the client used least recently. */
    private final LinkedHashMap<K, ClientState> clients;

    FailureThrottle(int maxFailures, int maxClients) {
        if (maxFailures < 0) {
            throw new IllegalArgumentException("maxFailures must be >= 0: " + maxFailures);
        }
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be >= 1: " + maxClients);
        }
        this.maxFailures = maxFailures;
        this.maxClients = maxClients;
        this.clients = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, ClientState> eldest) {
                return size() > FailureThrottle.this.maxClients;
            }
        };
    }

    /** True if a new attempt from {@code key} at {@code nowNanos} would be refused. Records nothing. */
    synchronized boolean isThrottled(K key, long nowNanos) {
        if (maxFailures == 0) {
            return false;
        }
        ClientState state = clients.get(key);
        return state != null && state.refuses(nowNanos, maxFailures);
    }

    /**
     * Admits one attempt from {@code key}, counting it as in flight, or returns false if the client is
     * throttled. Every {@code true} must be followed by exactly one {@link #finish}.
     */
    synchronized boolean tryBegin(K key, long nowNanos) {
        if (maxFailures == 0) {
            return true;
        }
        ClientState state = clients.get(key);
        if (state != null && state.refuses(nowNanos, maxFailures)) {
            return false;
        }
        if (state == null) {
            state = new ClientState(maxFailures);
            clients.put(key, state);
        }
        state.inFlight++;
        return true;
    }

    /** Ends an attempt admitted by {@link #tryBegin}; {@code failed} records a failure at {@code nowNanos}. */
    synchronized void finish(K key, long nowNanos, boolean failed) {
        if (maxFailures == 0) {
            return;
        }
        ClientState state = clients.get(key);
        if (state == null) {
            if (!failed) {
                return;
            }
            // Evicted while in flight: start afresh rather than lose the failure.
            state = new ClientState(maxFailures);
            clients.put(key, state);
        } else if (state.inFlight > 0) {
            state.inFlight--;
        }
        if (failed) {
            state.addFailure(nowNanos);
        } else if (state.inFlight == 0 && state.recentFailures(nowNanos) == 0) {
            clients.remove(key);
        }
    }

    /** Failures {@code client} had in the last minute at {@code nowNanos} (0 if untracked or throttling is off). */
    synchronized int recentFailures(K key, long nowNanos) {
        ClientState state = clients.get(key);
        return state == null ? 0 : state.recentFailures(nowNanos);
    }

    /** Number of clients currently tracked (for tests and a gauge). */
    synchronized int trackedClients() {
        return clients.size();
    }

    /** One client's last {@code maxFailures} failure times (a ring, oldest overwritten) and its checks in flight. */
    private static final class ClientState {
        private final long[] failureTimes;
        private int failures;
        private int next;
        int inFlight;

        ClientState(int maxFailures) {
            this.failureTimes = new long[maxFailures];
        }

        void addFailure(long nowNanos) {
            failureTimes[next] = nowNanos;
            next = (next + 1) % failureTimes.length;
            if (failures < failureTimes.length) {
                failures++;
            }
        }

        int recentFailures(long nowNanos) {
            int recent = 0;
            for (int i = 0; i < failures; i++) {
                if (nowNanos - failureTimes[i] < WINDOW_NANOS) {
                    recent++;
                }
            }
            return recent;
        }

        boolean refuses(long nowNanos, int maxFailures) {
            int recent = recentFailures(nowNanos);
            return recent >= maxFailures || (recent > 0 && recent + inFlight >= maxFailures);
        }
    }
}
