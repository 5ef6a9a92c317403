package io.sluice.scheduler;

import io.sluice.journal.OutcomeCode;
import io.sluice.model.BounceReason;
import io.sluice.util.OrderedBacklog;
import java.util.Random;

/**
 * The scheduler's decisions about recipients (docs/architecture.md "Retries and health"): applies a task's
 * {@link TaskResult} per recipient, defers, gives up, and ends a batch's life.
 *
 * <p>Outputs: DELIVERED OUTCOMEs and DEFERRED records to the {@link OutcomeRecorder}; given-up recipients to the
 * bounce hand-off backlog when the {@link BounceSink} takes outcomes (it writes the OUTCOME after any DSN), else their
 * OUTCOME to the recorder; one event per decision to {@link OutcomeEvents}; deferred batches onto the
 * {@link RetryTimers} at the {@link RetryPolicy} time (never past expiry); finished batches back to the
 * {@link BatchPool}, and their domain onto the {@link DomainTable}'s idle list when it has no live batch and no
 * lookup.
 * Allocation-free on the delivered and deferred paths (the give-up path makes a {@link GivenUp}). Scheduler thread
 * only.
 */
final class BatchOutcomes {
    /** Replaced by {@link #policy(RetryPolicy)} on reload; scheduler thread only, like every field. */
    private RetryPolicy policy;
    private final OutcomeRecorder recorder;
    private final OutcomeEvents events;
    private final BounceSink bounces;
    private final OrderedBacklog<GivenUp> bounceHandoff;
    private final RetryTimers timers;
    private final SchedulerCounters counters;
    private final BatchPool pool;
    private final DomainTable domains;
    private final Random random;
    /** Hard bounces on their way to the suppression list ({@link HardBounceSink}); flushed every cycle. */
    private final OrderedBacklog<HardBounce> hardBounces;

    /** A hard bounce waiting for the suppression list. */
    private record HardBounce(String recipient, BounceReason reason, String senderDomain, long timeMillis) {
    }
    /** The last reply remembered on a batch: an equal one shares these strings (no text per batch). */
    private String recentStatus;
    private String recentText;
    private String recentMx;

    BatchOutcomes(RetryPolicy policy, OutcomeRecorder recorder, OutcomeEvents events, BounceSink bounces,
                  OrderedBacklog<GivenUp> bounceHandoff, RetryTimers timers, SchedulerCounters counters, BatchPool pool,
                  DomainTable domains, Random random) {
        this.policy = policy;
        this.recorder = recorder;
        this.events = events;
        this.bounces = bounces;
        this.bounceHandoff = bounceHandoff;
        this.timers = timers;
        this.counters = counters;
        this.pool = pool;
        this.domains = domains;
        this.random = random;
        this.hardBounces = new OrderedBacklog<>(h -> hardBounceSink.offer(h.recipient(), h.reason(), h.senderDomain(),
                h.timeMillis()));
    }

    private HardBounceSink hardBounceSink = HardBounceSink.NONE;

    /** Where hard bounces go from now on (the suppression list); set before the scheduler runs. */
    void hardBounces(HardBounceSink sink) {
        this.hardBounceSink = sink;
    }

    /** Offers waiting hard bounces to the sink in order; returns how many it took. */
    int flushHardBounces() {
        return hardBounces.flush();
    }

    int hardBounceBacklog() {
        return hardBounces.size();
    }

    /**
     * Recipient {@code index} of a message entering the scheduler is on the suppression list: its OUTCOME
     * (suppressed, with the entry's reason) and event, never an attempt.
     */
    void suppressed(long messageId, int index, String address, String routeName, BounceReason reason,
                    long receivedAtMillis, long now) {
        recorder.outcome(messageId, index, OutcomeCode.SUPPRESSED, reason, now);
        events.suppressed(messageId, address, routeName, reason, receivedAtMillis, now);
        counters.suppressed++;
    }

    /** From now on, deferrals and expiry follow {@code next} (a reload). Scheduler thread. */
    void policy(RetryPolicy next) {
        this.policy = next;
    }

    /**
     * The result of an attempt on {@code b} (no longer in flight): delivered and permanently failed recipients are
     * final; the temporary ones stay in the batch (compacted in order) and are deferred together, with the last
     * temporary reply as the reason, unless {@code max_age} passed while the task was in flight: then they expire
     * now (no DEFERRED that could only lead to expiry). A missing result for a recipient counts as temporary.
     */
    void apply(Batch b, TaskResult r, long now) {
        apply(b, r, now, null);
    }

    /**
     * As {@link #apply(Batch, TaskResult, long)}, but a deferred batch goes to {@code place} (to wait in a ready
     * queue, e.g. held at a smarthost until its probe) instead of onto a retry timer; its DEFERRED records still
     * carry the policy's retry time, which a restart uses.
     */
    void applyAndPlace(Batch b, TaskResult r, long now, java.util.function.Consumer<Batch> place) {
        apply(b, r, now, place);
    }

    private void apply(Batch b, TaskResult r, long now, java.util.function.Consumer<Batch> place) {
        int kept = 0;
        RecipientResult lastTemporary = null;
        for (int i = 0; i < b.size; i++) {
            RecipientResult rr = i < r.recipients().size() ? r.recipients().get(i) : null;
            RecipientResult.Kind kind = rr == null ? RecipientResult.Kind.TEMPORARY : rr.kind();
            switch (kind) {
                case DELIVERED -> {
                    recorder.outcome(b.messageId, b.indexes[i], OutcomeCode.DELIVERED, BounceReason.DELIVERED, now);
                    events.delivered(b, i, rr, r, now);
                }
                case PERMANENT -> giveUp(b, i, OutcomeCode.BOUNCED, rr.code(), rr.enhancedStatus(), rr.text(), r,
                        !rr.local(), rr.reason(), rr.hard(), now);
                case TEMPORARY -> {
                    b.indexes[kept] = b.indexes[i];
                    b.addresses[kept] = b.addresses[i];
                    b.attempts[kept] = b.attempts[i];
                    kept++;
                    lastTemporary = rr == null ? RecipientResult.temporary(0, "no result reported") : rr;
                }
            }
        }
        for (int i = kept; i < b.size; i++) {
            b.addresses[i] = null;
        }
        b.size = kept;
        if (kept > 0) {
            remember(b, lastTemporary.code(), lastTemporary.enhancedStatus(), lastTemporary.text(),
                    lastTemporary.local() ? null : r.mxHost());
            if (b.site != null) {
                b.site.lastErrorCode = b.lastCode;
                b.site.lastErrorText = b.lastText;
                b.site.lastErrorMx = b.lastMx;
                b.site.lastErrorMillis = now;
            }
        }
        if (kept > 0 && policy.isExpired(now, b.receivedAtMillis)) {
            for (int i = 0; i < kept; i++) {
                b.attempts[i]++; // this attempt counts among those made before expiry
            }
            finish(b, OutcomeCode.EXPIRED, 0, "4.4.7", GivenUp.EXPIRED_TEXT, now);
        } else if (kept > 0) {
            defer(b, lastTemporary.code(), lastTemporary.enhancedStatus(), lastTemporary.text(),
                    lastTemporary.reason(), r, now - b.dispatchedAtMillis, now, place, -1);
        } else {
            done(b, now);
        }
    }

    /**
     * Every recipient of {@code b} failed temporarily: DEFERRED each (and its event), and one retry timer for the
     * batch. {@code via} and {@code attemptMillis} describe the delivery attempt, null and -1 when there was none.
     */
    void defer(Batch b, int code, String status, String text, TaskResult via, long attemptMillis, long now) {
        defer(b, code, status, text, LocalReasons.of(code, status), via, attemptMillis, now, null, -1);
    }

    /**
     * As {@link #defer} with no attempt, retried at {@code dueMillis} (plus up to five minutes of jitter, so mail
     * held until the same moment does not all go at once) instead of the retry policy's next time: mail that waits
     * for something with a known end, such as a new UTC day for warm-up caps. Never after the batch's expiry
     * ({@code max_age}), which is then looked at on time.
     */
    void deferUntil(Batch b, int code, String status, String text, long dueMillis, long now) {
        long due = Math.min(dueMillis + (long) (random.nextDouble() * 300_000), policy.expiresAtMillis(b.receivedAtMillis));
        defer(b, code, status, text, LocalReasons.of(code, status), null, -1, now, null, due);
    }

    private void defer(Batch b, int code, String status, String text, BounceReason reason, TaskResult via,
                       long attemptMillis, long now, java.util.function.Consumer<Batch> place, long dueMillis) {
        if (via == null) {
            remember(b, code, status, text, null); // DNS: Sluice's own finding
        }
        int attempts = b.maxAttempts() + 1;
        long due = dueMillis >= 0 ? dueMillis
                : policy.nextAttemptAtMillis(now, attempts, b.receivedAtMillis, random.nextDouble());
        for (int i = 0; i < b.size; i++) {
            b.attempts[i]++;
            recorder.deferred(b.messageId, b.indexes[i], b.attempts[i], due, code, text, b.lastMx, reason);
            events.deferred(b, i, code, status, text, reason, via, attemptMillis, now);
        }
        b.site = null;
        if (place != null) {
            place.accept(b);
            return;
        }
        b.timerId = timers.schedule(due, b);
        counters.scheduled += b.size;
    }

    /**
     * Gives up on every recipient of {@code b} (DNS failures, expiry, an operator's bounce: no attempt result), with
     * the reason its status means ({@link LocalReasons}).
     */
    void finish(Batch b, OutcomeCode outcome, int code, String status, String text, long now) {
        BounceReason reason = outcome == OutcomeCode.EXPIRED ? BounceReason.EXPIRED : LocalReasons.of(code, status);
        boolean hard = outcome == OutcomeCode.BOUNCED && reason.isHard(code / 100);
        for (int i = 0; i < b.size; i++) {
            giveUp(b, i, outcome, code, status, text, null, false, reason, hard, now);
        }
        done(b, now);
    }

    /**
     * {@code via}: the delivery attempt's result that led here, null for DNS failures and expiry; {@code remote}:
     * the reply came from {@code via}'s MX host (not made up by Sluice). An expiry reports the batch's last
     * temporary failure to the DSN, when it has one.
     */
    private void giveUp(Batch b, int i, OutcomeCode outcome, int code, String status, String text, TaskResult via,
                        boolean remote, BounceReason reason, boolean hard, long now) {
        boolean expired = outcome == OutcomeCode.EXPIRED;
        if (bounces.takesOutcomes()) {
            GivenUp g = expired && (b.lastCode > 0 || b.lastText != null)
                    ? new GivenUp(b.messageId, b.bodiesIndex, b.indexes[i], b.addresses[i], true, b.lastCode,
                            b.lastStatus, b.lastText, b.lastMx, b.attempts[i], now, reason, hard,
                            b.verpDomain == null)
                    : new GivenUp(b.messageId, b.bodiesIndex, b.indexes[i], b.addresses[i], expired, code, status,
                            text, remote && via != null ? via.mxHost() : null, b.attempts[i], now, reason, hard,
                            b.verpDomain == null);
            bounceHandoff.offer(g);
        } else {
            recorder.outcome(b.messageId, b.indexes[i], outcome, reason, now);
        }
        events.gaveUp(b, i, expired, code, status, text, reason, hard, via, now);
        if (hard && !expired && hardBounceSink != HardBounceSink.NONE) {
            hardBounces.offer(new HardBounce(b.addresses[i], reason, b.routeInputs.senderDomain(), now));
        }
    }

    /**
     * Keeps the last temporary failure on {@code b} for an expiry DSN; {@code mx} null when Sluice decided it. Reuses
     * the strings of the previous equal reply, so retries against a site that fails alike allocate nothing and pin
     * no text per batch.
     */
    private void remember(Batch b, int code, String status, String text, String mx) {
        if (!java.util.Objects.equals(status, recentStatus)) {
            recentStatus = status;
        }
        if (!java.util.Objects.equals(text, recentText)) {
            recentText = text;
        }
        if (!java.util.Objects.equals(mx, recentMx)) {
            recentMx = mx;
        }
        b.lastCode = code;
        b.lastStatus = recentStatus;
        b.lastText = recentText;
        b.lastMx = recentMx;
    }

    /** {@code b} is over: its domain may go, and the batch is recycled (nothing refers to it any more). */
    private void done(Batch b, long now) {
        DomainState d = b.domain;
        if (--d.liveBatches == 0 && !d.resolving && !d.wantsResolve) {
            domains.idle(d, now);
        }
        pool.release(b);
    }
}
