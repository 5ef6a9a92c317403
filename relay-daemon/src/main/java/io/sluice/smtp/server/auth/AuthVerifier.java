package io.sluice.smtp.server.auth;

import io.sluice.config.AuthSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks AUTH credentials against a {@link UsersFile} without ever hashing on the caller's (event-loop) thread.
 *
 * <p>Input: {@link Credentials} from a {@link SaslExchange} and the client's address. Output: a
 * {@code CompletableFuture<AuthResult>} (SUCCESS(user), INVALID, THROTTLED, TEMPORARY_FAILURE). Order of checks in
 * {@link #verify}:
 * <ol>
 *   <li>closed: TEMPORARY_FAILURE at once;</li>
 *   <li>{@link FailureThrottle}, twice: a (client, user) pair ({@link ClientUser}; a client is an IPv4 address or
 *       an IPv6 /64) with {@code maxFailuresPerIp} failures in the last minute, or a client with
 *       {@value #CLIENT_CEILING_FACTOR} times that many over all its user names, gets THROTTLED at once, with no
 *       hashing. Per user first, so that one application with a bad password locks out only itself and not every
 *       application on its host; the client ceiling still stops a guesser trying many names;</li>
 *   <li>{@link SuccessCache}: the same (user, password) succeeded less than {@code cacheTtl} ago against the same
 *       hash: SUCCESS at once, without the pool;</li>
 *   <li>otherwise PBKDF2 runs on a small worker pool fed by a bounded {@link FairShareQueue}: each client may have
 *       at most {@code maxChecksPerClient} checks queued or running, a full queue makes room for a newcomer by
 *       displacing the newest check of a client that is clearly worse off (more recent failures, or far more
 *       checks), and workers take checks round-robin by client. A check that finds no room, or loses its place,
 *       gets TEMPORARY_FAILURE at once (never block the event loop, never queue without bound); so under a flood
 *       the flooding clients get the 454s, and a client that has not failed waits behind at most one check of each
 *       other client. Unknown users are checked against a decoy hash of the same cost, so timing does not reveal
 *       which names exist.</li>
 * </ol>
 * INVALID (unknown user or wrong password) counts as a failure for the throttle; THROTTLED and TEMPORARY_FAILURE
 * do not. Because every client's checks do run in turn, a flooding client's wrong passwords are counted and it is
 * throttled after {@code maxFailuresPerIp} of them, instead of being bounced with uncounted 454s.
 *
 * <p>Threading: {@code verify} is thread-safe and non-blocking (a few microseconds: one HMAC, a lock-protected map
 * update, and when the queue is full one scan of the clients waiting in it, at most its capacity). An immediate result comes back as an already-completed future, so dependent stages run on the
 * caller's thread; a pooled result completes on a worker thread named {@code sluice-auth-N}, so the session must
 * hop back to its event loop before touching the channel. {@code verify} takes ownership of the credentials and
 * zeroes the password once it is no longer needed.
 *
 * <p>Limits ({@link Limits}): worker threads (default 1 on a 2-core box, 2 from 4 cores: PBKDF2 costs 60-250 ms of
 * CPU, and the event loops must keep a core), queue capacity (default {@value Limits#DEFAULT_QUEUE_CAPACITY}),
 * checks per client queued or running (default {@value Limits#DEFAULT_MAX_CHECKS_PER_CLIENT}: an application's
 * small connection pool logging in at once still queues), tracked clients (default
 * {@value Limits#DEFAULT_MAX_TRACKED_CLIENTS}). Config keys: {@code auth.cache_ttl},
 * {@code auth.max_failures_per_ip}, {@code auth.users_file} (via {@link #replaceUsers} on reload).
 *
 * <p>Shutdown: {@link #close()} refuses new work, completes every queued check with TEMPORARY_FAILURE, and waits
 * up to {@value #CLOSE_WAIT_SECONDS} s for checks already running (PBKDF2 cannot be interrupted).
 */
public final class AuthVerifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuthVerifier.class);

    /** How long {@link #close()} waits for running checks. */
    static final long CLOSE_WAIT_SECONDS = 5;

    /**
     * Sizes of the worker pool and the throttle map.
     *
     * @param threads           worker threads doing PBKDF2, at least 1
     * @param queueCapacity     checks that may wait for a worker, at least 1
     * @param maxTrackedClients client addresses the failure throttle remembers, at least 1
     * @param maxChecksPerClient checks one client may have queued or running, at least 1
     */
    public record Limits(int threads, int queueCapacity, int maxTrackedClients, int maxChecksPerClient) {
        public static final int DEFAULT_QUEUE_CAPACITY = 32;
        public static final int DEFAULT_MAX_TRACKED_CLIENTS = 10_000;
        public static final int DEFAULT_MAX_CHECKS_PER_CLIENT = 8;

        public Limits {
            if (threads < 1 || queueCapacity < 1 || maxTrackedClients < 1 || maxChecksPerClient < 1) {
                throw new IllegalArgumentException("auth limits must be >= 1: " + threads + ", " + queueCapacity
                        + ", " + maxTrackedClients + ", " + maxChecksPerClient);
            }
        }

        /**
         * Half the processors (1 to 2 threads), {@value #DEFAULT_QUEUE_CAPACITY} queued, 10,000 clients,
         * {@value #DEFAULT_MAX_CHECKS_PER_CLIENT} checks per client.
         */
        public static Limits defaults() {
            int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() / 2));
            return new Limits(threads, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_TRACKED_CLIENTS,
                    DEFAULT_MAX_CHECKS_PER_CLIENT);
        }
    }

    /** The users and the decoy hash for unknown names, swapped together on reload. */
    private record Snapshot(UsersFile users, PasswordHash decoy) {
        static Snapshot of(UsersFile users) {
            return new Snapshot(users, PasswordHash.decoy(users.maxIterations()));
        }
    }

    private final ThreadPoolExecutor pool;
    /** The checks waiting for a worker; the pool's own queue holds one {@link #dispatch} token per check here. */
    private final FairShareQueue<Check> waiting;
    private final Runnable dispatch = this::runNextCheck;
    private final SuccessCache cache;
    /**
     * A client's ceiling over all user names, as a multiple of the per-user limit: room for a few misconfigured
     * applications on one host before its good ones are refused too.
     */
    static final int CLIENT_CEILING_FACTOR = 4;

    /** Failures per client over all user names (ceiling {@link #CLIENT_CEILING_FACTOR} x the limit). */
    private final FailureThrottle<ClientKey> throttle;
    /** Failures per (client, user name) (limit {@code maxFailuresPerIp}). */
    private final FailureThrottle<ClientUser> userThrottle;
    private final LongSupplier nanoClock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Snapshot snapshot;

    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder checksRun = new LongAdder();
    private final LongAdder queueFullRejections = new LongAdder();
    private final LongAdder displacedChecks = new LongAdder();
    private final LongAdder throttledAttempts = new LongAdder();

    /**
     * A verifier for one listener's settings ({@code cache_ttl}, {@code max_failures_per_ip}) with default limits
     * and {@link System#nanoTime()}.
     */
    public static AuthVerifier create(AuthSettings settings, UsersFile users) {
        Duration ttl = settings.cacheTtl() == null ? AuthSettings.DEFAULT_CACHE_TTL : settings.cacheTtl();
        return new AuthVerifier(users, ttl, settings.maxFailuresPerIp(), Limits.defaults(), System::nanoTime);
    }

    /**
     * @param users            the users snapshot to check against
     * @param cacheTtl         how long a success is cached; zero disables the cache
     * @param maxFailuresPerIp failures per client per sliding minute before THROTTLED; zero disables throttling
     * @param limits           pool and map sizes
     * @param nanoClock        monotonic nanosecond time, {@code System::nanoTime} outside tests
     */
    public AuthVerifier(UsersFile users, Duration cacheTtl, int maxFailuresPerIp, Limits limits,
                        LongSupplier nanoClock) {
        this(users, cacheTtl, maxFailuresPerIp, limits.maxTrackedClients(), limits.maxChecksPerClient(), nanoClock,
                newPool(limits.threads(), limits.queueCapacity()));
    }

    /**
     * For tests that need to hold the pool's workers; the verifier owns and shuts down {@code pool}, and as many
     * checks may wait as {@code pool}'s queue has room for when this runs (one dispatch token per waiting check).
     */
    AuthVerifier(UsersFile users, Duration cacheTtl, int maxFailuresPerIp, int maxTrackedClients,
                 int maxChecksPerClient, LongSupplier nanoClock, ThreadPoolExecutor pool) {
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cacheTtl must not be negative: " + cacheTtl);
        }
        this.snapshot = Snapshot.of(Objects.requireNonNull(users, "users"));
        this.cache = new SuccessCache(cacheTtl.toNanos());
        this.throttle = new FailureThrottle<>(maxFailuresPerIp * CLIENT_CEILING_FACTOR, maxTrackedClients);
        this.userThrottle = new FailureThrottle<>(maxFailuresPerIp, maxTrackedClients);
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.waiting = new FairShareQueue<>(pool.getQueue().remainingCapacity(), maxChecksPerClient,
                key -> throttle.recentFailures(key, nanoClock.getAsLong()));
    }

    /** The bounded pool used by the public constructor: fixed size, {@code ArrayBlockingQueue}, abort when full. */
    static ThreadPoolExecutor newPool(int threads, int queueCapacity) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "sluice-auth-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), factory, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Verifies {@code credentials} for a client at {@code client}. Never blocks; see the class comment for the
     * order of checks and the completing thread. Takes ownership of {@code credentials} (zeroes the password).
     */
    public CompletableFuture<AuthResult> verify(Credentials credentials, InetAddress client) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(client, "client");
        if (closed.get()) {
            credentials.clear();
            return CompletableFuture.completedFuture(AuthResult.TEMPORARY_FAILURE);
        }
        long now = nanoClock.getAsLong();
        ClientKey key = ClientKey.of(client);
        String user = credentials.user();
        ClientUser clientUser = new ClientUser(key, user);
        if (!userThrottle.tryBegin(clientUser, now)) {
            throttledAttempts.increment();
            credentials.clear();
            return CompletableFuture.completedFuture(AuthResult.THROTTLED);
        }
        if (!throttle.tryBegin(key, now)) {
            userThrottle.finish(clientUser, now, false);
            throttledAttempts.increment();
            credentials.clear();
            return CompletableFuture.completedFuture(AuthResult.THROTTLED);
        }
        Snapshot current = snapshot;
        byte[] fingerprint = cache.fingerprint(user, credentials.password());
        if (cache.hit(user, fingerprint, current.users().lookup(user), now)) {
            cacheHits.increment();
            throttle.finish(key, now, false);
            userThrottle.finish(clientUser, now, false);
            credentials.clear();
            return CompletableFuture.completedFuture(AuthResult.success(user));
        }
        Check check = new Check(credentials, clientUser, fingerprint);
        FairShareQueue.Result<Check> admission = waiting.offer(check.key, check);
        switch (admission.admission()) {
            case REJECTED -> {
                queueFullRejections.increment();
                check.abandon();
            }
            case DISPLACED -> {
                // The queue's size is unchanged, so the displaced check's dispatch token now serves this one.
                displacedChecks.increment();
                admission.displaced().abandon();
            }
            case QUEUED -> {
                try {
                    pool.execute(dispatch);
                } catch (RejectedExecutionException e) {
                    // close() ran since the check above (the pool's queue has room for every waiting check).
                    if (waiting.remove(check.key, check)) {
                        queueFullRejections.increment();
                        check.abandon();
                    }
                }
            }
        }
        return check.result;
    }

    /** One dispatch token: runs the next check in the fair queue's round-robin order (worker thread). */
    private void runNextCheck() {
        Check check = waiting.poll();
        if (check == null) {
            return;
        }
        try {
            check.run();
        } finally {
            waiting.done(check.key);
        }
    }

    /**
     * True if any attempt from {@code client} now would be THROTTLED, whatever the user (lets a session refuse AUTH
     * up front, before it knows the user): only the client's ceiling counts here.
     */
    public boolean isThrottled(InetAddress client) {
        return throttle.isThrottled(ClientKey.of(Objects.requireNonNull(client, "client")), nanoClock.getAsLong());
    }

    /** Switches to a reloaded users file and forgets cached successes. Checks already running use either one. */
    public void replaceUsers(UsersFile users) {
        snapshot = Snapshot.of(Objects.requireNonNull(users, "users"));
        cache.clear();
    }

    /** The users snapshot in use. */
    public UsersFile users() {
        return snapshot.users();
    }

    /** Successes answered from the cache, without the pool. */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /** PBKDF2 checks started on the pool (including decoy checks for unknown users). */
    public long checksRun() {
        return checksRun.sum();
    }

    /**
     * Checks refused without queueing: the client was at its share ({@code maxChecksPerClient}), the queue was full
     * of clients no worse off, or the verifier was closing.
     */
    public long queueFullRejections() {
        return queueFullRejections.sum();
    }

    /** Queued checks that gave up their place to a client that was better off (answered TEMPORARY_FAILURE). */
    public long displacedChecks() {
        return displacedChecks.sum();
    }

    /** Attempts refused by the failure throttle. */
    public long throttledAttempts() {
        return throttledAttempts.sum();
    }

    /** Client addresses the throttle currently tracks. */
    public int trackedClients() {
        return throttle.trackedClients();
    }

    /** Idempotent; see the class comment. Restores the interrupt flag if interrupted while waiting. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pool.shutdownNow();
        for (Check check : waiting.drain()) {
            check.abandon();
        }
        try {
            pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.clear();
    }

    /** One queued PBKDF2 check; completes {@link #result} exactly once, by {@link #run} or {@link #abandon}. */
    private final class Check implements Runnable {
        final CompletableFuture<AuthResult> result = new CompletableFuture<>();
        private final Credentials credentials;
        private final ClientUser clientUser;
        final ClientKey key;
        private final byte[] fingerprint;

        Check(Credentials credentials, ClientUser clientUser, byte[] fingerprint) {
            this.credentials = credentials;
            this.clientUser = clientUser;
            this.key = clientUser.client();
            this.fingerprint = fingerprint;
        }

        private void finishThrottles(boolean failed) {
            long now = nanoClock.getAsLong();
            throttle.finish(key, now, failed);
            userThrottle.finish(clientUser, now, failed);
        }

        @Override
        public void run() {
            checksRun.increment();
            AuthResult outcome = AuthResult.TEMPORARY_FAILURE;
            try {
                outcome = check();
            } catch (RuntimeException e) {
                // Keep the worker alive and the session answered; a bug here must not look like a bad password.
                LOG.warn("AUTH check failed internally", e);
            } finally {
                credentials.clear();
                finishThrottles(outcome.outcome() == AuthResult.Outcome.INVALID);
                result.complete(outcome);
            }
        }

        private AuthResult check() {
            Snapshot current = snapshot;
            String user = credentials.user();
            PasswordHash hash = current.users().lookup(user);
            if (hash == null) {
                current.decoy().matches(credentials.password());
                return AuthResult.INVALID;
            }
            if (!hash.matches(credentials.password())) {
                return AuthResult.INVALID;
            }
            cache.put(user, fingerprint, hash, nanoClock.getAsLong());
            return AuthResult.success(user);
        }

        /** Completes without checking (no room, displaced, or closing). */
        void abandon() {
            credentials.clear();
            finishThrottles(false);
            result.complete(AuthResult.TEMPORARY_FAILURE);
        }
    }
}
