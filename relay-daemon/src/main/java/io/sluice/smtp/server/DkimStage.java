package io.sluice.smtp.server;

import io.sluice.config.DkimSettings;
import io.sluice.metrics.DkimMetrics;
import io.sluice.signing.Canonicalization;
import io.sluice.signing.DkimAlgorithm;
import io.sluice.signing.DkimSigner;
import io.sluice.signing.SigningKeys;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * DKIM signing at accept (docs/DKIM.md), off the event loops. Which keys sign is decided by the header From's domain
 * alone: any client allowed to relay gets its mail signed for the configured domains, so relaying must be limited
 * (AUTH, {@code relay_networks}) to the senders of those domains. Signing is a bounded pool of signing threads
 * ({@code sluice-dkim-N}, one per core) with a queue of {@value #QUEUE} messages. A session hands the stored texts of
 * one DATA to {@link #sign}; the signature fields come back on the session's event loop, which puts them in front
 * and only then offers the messages to the journal, so the 250 waits for both. The body hashes come with them,
 * computed by the session while the text arrived ({@link io.sluice.signing.StreamingBodyHash}, for the body
 * canonicalizations of {@link #bodyCanonicalizations}); one missing (a reload brought a key with another) is
 * computed here, once: the texts of one DATA (the message, or its one-click unsubscribe copies) share their body. A full queue refuses ({@code false}):
 * the session answers {@code 451 4.3.0} (back-pressure, never a dropped message). The keys are swapped on reload
 * ({@link #keys(SigningKeys)}). Thread-safe.
 */
public final class DkimStage implements AutoCloseable {
    static final int QUEUE = 1024;

    private final AtomicReference<SigningKeys> keys;
    private volatile java.util.Set<Canonicalization> bodyCanons;
    private final ThreadPoolExecutor pool;
    private final DkimMetrics metrics;

    public DkimStage(SigningKeys initial, int threads, DkimMetrics metrics) {
        this.keys = new AtomicReference<>(initial);
        this.bodyCanons = bodyCanonsOf(initial);
        this.metrics = metrics;
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "sluice-dkim-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** The signing keys of a settings snapshot (its {@code dkim} entries, keys already loaded). */
    public static SigningKeys keysOf(DkimSettings settings) {
        List<SigningKeys.Entry> entries = new ArrayList<>();
        for (DkimSettings.Key k : settings.keys()) {
            DkimSigner signer = new DkimSigner(new DkimSigner.Key(k.domain(), k.selector(),
                    DkimAlgorithm.byLabel(k.algorithm()), k.key(), k.headers(), k.oversign(),
                    canon(k.headerCanon()), canon(k.bodyCanon()), k.expireAfterSeconds()));
            entries.add(new SigningKeys.Entry(signer, k.activeFrom(), k.fallback()));
        }
        return new SigningKeys(entries);
    }

    private static Canonicalization canon(String label) {
        return "simple".equals(label) ? Canonicalization.SIMPLE : Canonicalization.RELAXED;
    }

    /** A reload's keys; messages signed from now on use them. */
    public void keys(SigningKeys next) {
        bodyCanons = bodyCanonsOf(next);
        keys.set(next);
    }

    /** Whether any key is configured (else nothing is asked of this stage). */
    boolean configured() {
        return !keys.get().isEmpty();
    }

    /** The signers for mail from {@code fromDomain} now; empty when none covers it. */
    List<DkimSigner> signers(String fromDomain) {
        return keys.get().forFromDomain(fromDomain, Instant.now());
    }

    DkimMetrics metrics() {
        return metrics;
    }

    /**
     * The body canonicalizations the keys in force use (what a session hashes while DATA arrives); the same object
     * until a reload changes the keys.
     */
    java.util.Set<Canonicalization> bodyCanonicalizations() {
        return bodyCanons;
    }

    private static java.util.Set<Canonicalization> bodyCanonsOf(SigningKeys keys) {
        java.util.EnumSet<Canonicalization> out = java.util.EnumSet.noneOf(Canonicalization.class);
        for (SigningKeys.Entry e : keys.entries()) {
            out.add(e.signer().key().body());
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    /**
     * Signs each of {@code texts} (a stored message each, position to limit; not changed, and not to be released
     * before {@code done} runs) with every one of {@code signers}, on a signing thread; {@code done} then runs on
     * {@code loop} with the fields per text (each the signers' fields, one after another) or the failure.
     * {@code bodyHashes}: their common body's hashes by canonicalization ordinal as the session computed them while
     * DATA arrived (an entry, or the array, null: computed here).
     *
     * @return false when the queue is full (nothing was taken)
     */
    boolean sign(List<DkimSigner> signers, List<ByteBuffer> texts, byte[][] bodyHashes, Executor loop,
                 BiConsumer<List<String>, Throwable> done) {
        try {
            pool.execute(() -> {
                List<String> fields = new ArrayList<>(texts.size());
                Throwable failure = null;
                try {
                    long now = System.currentTimeMillis() / 1000;
                    // the texts of one DATA share their body: one body hash per canonicalization serves them all
                    byte[][] hashes = bodyHashes != null ? bodyHashes.clone()
                            : new byte[Canonicalization.values().length][];
                    for (ByteBuffer text : texts) {
                        StringBuilder sb = new StringBuilder(signers.size() * 600);
                        for (DkimSigner s : signers) {
                            int c = s.key().body().ordinal();
                            if (hashes[c] == null) {
                                hashes[c] = DkimSigner.bodyHash(s.key().body(), text);
                            }
                            sb.append(s.sign(text, now, hashes[c]));
                        }
                        fields.add(sb.toString());
                    }
                } catch (RuntimeException | Error e) { // the session must hear back whatever happens
                    failure = e;
                }
                Throwable f = failure;
                try {
                    loop.execute(() -> done.accept(f == null ? fields : null, f));
                } catch (RejectedExecutionException e) {
                    // the event loop is shut down: its channels are closed, their memory freed with the allocator
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            metrics.refusedBusy();
            return false;
        }
    }

    /** Stops the signing threads after the queued messages (at most 10 s). */
    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
