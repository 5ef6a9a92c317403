package io.sluice.smtp.server;

import io.sluice.config.QuotaSettings;
import io.sluice.config.Settings;
import io.sluice.util.Gcra;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * The per-AUTH-identity limits ({@code quotas[]}): a message rate ({@link Gcra}, counted at MAIL) and a ceiling on
 * the identity's recipients still pending (accepted, no final outcome), checked at MAIL and at each RCPT with the
 * transaction's own recipients counted. Over either, the command gets {@code 452 4.7.1} and the client retries
 * later: nothing is accepted and then lost. Sessions without AUTH have no quota.
 *
 * <p>Reload: the limits follow the current settings snapshot (callers pass {@code SettingsHolder.current()}, never a
 * session's older copy, so the compiled table only moves forward); an identity whose quota is unchanged keeps its
 * rate state (no fresh burst), one whose quota changed starts a fresh one. Thread-safe (event loops share it); no
 * allocation per command except when a reload is first seen.
 */
final class Quotas {
    /** An identity's limits as compiled from one snapshot. */
    private record Limit(QuotaSettings settings, Gcra rate) {
    }

    private record Compiled(List<QuotaSettings> source, Map<String, Limit> byUser) {
    }

    private final ToLongFunction<String> pendingRecipientsOf;
    private final AtomicReference<Compiled> compiled = new AtomicReference<>(new Compiled(List.of(), Map.of()));

    /** @param pendingRecipientsOf the identity's pending recipients now (the journal's count), any thread */
    Quotas(ToLongFunction<String> pendingRecipientsOf) {
        this.pendingRecipientsOf = pendingRecipientsOf;
    }

    /** The reply refusing MAIL for {@code authUser} now, or null when it may go on. */
    Refusal checkMail(Settings settings, String authUser, long nowNanos) {
        Limit limit = limit(settings, authUser);
        if (limit == null) {
            return null;
        }
        long max = limit.settings().maxQueued();
        if (max > 0 && pendingRecipientsOf.applyAsLong(authUser) >= max) {
            return Refusal.QUEUED;
        }
        if (limit.rate() != null && !limit.rate().tryAcquire(nowNanos)) {
            return Refusal.RATE;
        }
        return null;
    }

    /** The reply refusing one more RCPT for {@code authUser}, who has {@code inTransaction} already, or null. */
    Refusal checkRcpt(Settings settings, String authUser, int inTransaction) {
        Limit limit = limit(settings, authUser);
        if (limit == null || limit.settings().maxQueued() == 0) {
            return null;
        }
        return pendingRecipientsOf.applyAsLong(authUser) + inTransaction >= limit.settings().maxQueued()
                ? Refusal.QUEUED : null;
    }

    /** Why a quota refused, with its reply and rejection reason. */
    enum Refusal {
        RATE(SmtpReplies.QUOTA_RATE, Rejection.QUOTA_RATE),
        QUEUED(SmtpReplies.QUOTA_QUEUED, Rejection.QUOTA_QUEUED);

        final io.netty.buffer.ByteBuf reply;
        final Rejection rejection;

        Refusal(io.netty.buffer.ByteBuf reply, Rejection rejection) {
            this.reply = reply;
            this.rejection = rejection;
        }
    }

    private Limit limit(Settings settings, String authUser) {
        if (authUser == null || authUser.isEmpty()) {
            return null;
        }
        List<QuotaSettings> quotas = settings.egress().quotas();
        Compiled c = compiled.get();
        if (c.source() != quotas) {
            c = compile(c, quotas);
        }
        return c.byUser().get(authUser);
    }

    private Compiled compile(Compiled previous, List<QuotaSettings> quotas) {
        Map<String, Limit> byUser = new HashMap<>();
        long now = System.nanoTime();
        for (QuotaSettings q : quotas) {
            Limit old = previous.byUser().get(q.authUser());
            if (old != null && old.settings().equals(q)) {
                byUser.put(q.authUser(), old);
            } else {
                Gcra rate = q.maxRate() == null ? null
                        : new Gcra(q.maxRate().count(), q.maxRate().period().toNanos(), now);
                byUser.put(q.authUser(), new Limit(q, rate));
            }
        }
        Compiled next = new Compiled(quotas, Map.copyOf(byUser));
        compiled.compareAndSet(previous, next); // a racing compile of the same snapshot is equivalent
        return next;
    }
}
