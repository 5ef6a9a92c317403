package io.sluice.scheduler;

import io.sluice.journal.PendingMessage;
import io.sluice.model.BounceReason;
import io.sluice.model.RouteInputs;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Turns a message's recipients into {@link Batch}es per domain (the scheduler's intake): a newly queued message's
 * batches go to {@code route} (which puts each where it belongs now), a recovered message's batches onto the
 * {@link RetryTimers} at their recorded due time (deferred recipients) or spread over
 * {@code recoverySpreadMillis} (the rest), one batch per domain and due time. A recipient the suppression list holds
 * ({@link SuppressionCheck}, asked for both) never enters a batch: it is handed to the {@link Suppressed} callback,
 * which makes it final.
 *
 * <p>Grouping uses scratch state on the {@link DomainState}s ({@link DomainState#open}) and one reused array of
 * the domains a message touched, so a message to already-known domains allocates nothing here (batches come from
 * the {@link BatchPool}). Batches of one message are routed in the order their domains first appear; a batch that
 * fills up is routed at once and a fresh one continues. Scheduler thread only.
 */
final class BatchIntake {
    private final DomainTable domains;
    private final BatchPool pool;
    private final RetryTimers timers;
    private final SchedulerCounters counters;
    private final Consumer<Batch> route;
    private final Random random;
    private final long recoverySpreadMillis;
    private DomainState[] touched = new DomainState[16];
    private int touchedCount;
    /** The suppression list's check, and what becomes of a suppressed recipient (its OUTCOME and event). */
    private SuppressionCheck suppression = SuppressionCheck.NONE;
    private Suppressed suppressed = (id, index, address, inputs, reason, receivedAt, now) -> { };

    /** A recipient the suppression list holds: it is final (OUTCOME suppressed) and never enters a batch. */
    @FunctionalInterface
    interface Suppressed {
        void recipient(long messageId, int index, String address, RouteInputs inputs, BounceReason reason,
                       long receivedAtMillis, long nowMillis);
    }

    /** From now on every recipient entering is checked against {@code check}; set before recovery. */
    void suppression(SuppressionCheck check, Suppressed then) {
        this.suppression = check;
        this.suppressed = then;
    }

    /** True when {@code address} is suppressed (and was handed to {@link #suppressed}). */
    private boolean suppressed(long id, int index, String address, RouteInputs inputs, long receivedAtMillis,
                               long nowMillis) {
        if (suppression == SuppressionCheck.NONE) {
            return false;
        }
        BounceReason reason = suppression.reason(address, inputs, receivedAtMillis, nowMillis);
        if (reason == null) {
            return false;
        }
        suppressed.recipient(id, index, address, inputs, reason, receivedAtMillis, nowMillis);
        return true;
    }

    BatchIntake(DomainTable domains, BatchPool pool, RetryTimers timers, SchedulerCounters counters,
                Consumer<Batch> route, Random random, long recoverySpreadMillis) {
        this.domains = domains;
        this.pool = pool;
        this.timers = timers;
        this.counters = counters;
        this.route = route;
        this.random = random;
        this.recoverySpreadMillis = recoverySpreadMillis;
    }

    /** A newly durable message: every recipient not suppressed, first attempt. */
    void queued(long id, long bodiesIndex, long receivedAtMillis, List<String> recipients, RouteInputs routeInputs,
                long nowMillis) {
        for (int i = 0; i < recipients.size(); i++) {
            String address = recipients.get(i);
            if (suppressed(id, i, address, routeInputs, receivedAtMillis, nowMillis)) {
                continue;
            }
            DomainState d = domains.lookup(address);
            Batch b = d.open;
            if (b == null) {
                b = d.open = newBatch(id, bodiesIndex, receivedAtMillis, routeInputs, d);
                touch(d);
            } else if (b.isFull()) {
                Batch full = b;
                b = d.open = newBatch(id, bodiesIndex, receivedAtMillis, routeInputs, d); // before routing: keeps d live
                route.accept(full);
            }
            b.add(i, address, 0);
        }
        for (int t = 0; t < touchedCount; t++) {
            DomainState d = touched[t];
            Batch b = d.open;
            d.open = null;
            touched[t] = null;
            route.accept(b);
        }
        touchedCount = 0;
    }

    /** A recovered message: its pending recipients onto the timers, with their recorded attempts. */
    void recovered(PendingMessage m, long receivedAtMillis, long nowMillis) {
        for (int i = 0; i < m.recipientCount(); i++) {
            if (!m.isPending(i)) {
                continue;
            }
            String address = m.recipient(i);
            if (suppressed(m.id(), i, address, m.routeInputs(), receivedAtMillis, nowMillis)) {
                continue; // it was on the list when the message came, and a crash cut off its suppressed OUTCOME
            }
            long due = m.isDeferred(i) ? m.nextDueMillis(i) : 0;
            DomainState d = domains.lookup(address);
            Batch b = d.open;
            if (b == null || b.isFull() || d.openDueMillis != due) {
                if (b == null) {
                    touch(d);
                }
                b = d.open = newBatch(m.id(), m.bodiesIndex(), receivedAtMillis, m.routeInputs(), d);
                d.openDueMillis = due;
                long at = due > 0 ? due : nowMillis + (long) (random.nextDouble() * recoverySpreadMillis);
                b.timerId = timers.schedule(at, b);
            }
            b.add(i, address, m.attempts(i));
            counters.scheduled++;
        }
        for (int t = 0; t < touchedCount; t++) {
            touched[t].open = null;
            touched[t] = null;
        }
        touchedCount = 0;
    }

    /**
     * {@code b} cut into parts of at most {@code keep} recipients, in one pass (linear in the recipients, however
     * small {@code keep}): {@code b} itself, keeping its first {@code keep}, then new batches of the same message and
     * domain, each with its recipients' attempts and {@code b}'s last reply. Recipients stay counted as they were
     * (the caller places every part).
     */
    java.util.List<Batch> split(Batch b, int keep) {
        java.util.List<Batch> parts = new java.util.ArrayList<>((b.size + keep - 1) / keep);
        parts.add(b);
        for (int from = keep; from < b.size; from += keep) {
            parts.add(part(b, from, Math.min(b.size, from + keep)));
        }
        truncate(b, Math.min(keep, b.size));
        return parts;
    }

    /** A new batch with recipients {@code from} to {@code to} (exclusive) of {@code b}, and {@code b}'s last reply. */
    private Batch part(Batch b, int from, int to) {
        Batch rest = newBatch(b.messageId, b.bodiesIndex, b.receivedAtMillis, b.routeInputs, b.domain);
        for (int i = from; i < to; i++) {
            rest.add(b.indexes[i], b.addresses[i], b.attempts[i]);
        }
        rest.lastCode = b.lastCode;
        rest.lastStatus = b.lastStatus;
        rest.lastText = b.lastText;
        rest.lastMx = b.lastMx;
        rest.verpDomain = b.verpDomain;
        return rest;
    }

    private static void truncate(Batch b, int keep) {
        for (int i = keep; i < b.size; i++) {
            b.addresses[i] = null;
        }
        b.size = keep;
    }

    private Batch newBatch(long id, long bodiesIndex, long receivedAtMillis, RouteInputs routeInputs,
                           DomainState d) {
        if (d.liveBatches++ == 0) {
            domains.busy(d);
        }
        Batch b = pool.take(id, bodiesIndex, receivedAtMillis, d);
        b.routeInputs = routeInputs;
        return b;
    }

    private void touch(DomainState d) {
        if (touchedCount == touched.length) {
            touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
        }
        touched[touchedCount++] = d;
    }
}
