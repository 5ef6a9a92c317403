package io.sluice.smtp.server;

import io.netty.handler.ssl.SslContext;
import java.util.concurrent.atomic.AtomicReference;
import io.sluice.config.ListenerSettings;
import io.sluice.config.SettingsHolder;
import io.sluice.events.EventPublisher;
import io.sluice.journal.MessageSink;
import io.sluice.smtp.server.auth.AuthVerifier;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What every session of one listener shares: its name and first settings, TLS context, where its messages go (the
 * journal writer, or the feedback intake on a {@code role: feedback} listener) and the id
 * source, the shared memory budget and back-pressure, the AUTH verifier (null when the listener has no AUTH), the
 * session registry for shutdown, the event log, the observer and the per-AUTH-identity quotas (shared by all
 * listeners), the suppression list's RCPT check, and the routes' one-click unsubscribe headers
 * ({@link UnsubscribeHeaders#NONE} on a feedback listener), and the DKIM signing stage (null on a feedback listener or
 * when the daemon has none). Immutable; thread-safe parts only. The TLS
 * context sits behind a reference that a reload replaces ({@link SmtpServer#prepareTlsReload}); each new session or
 * STARTTLS reads it once.
 */
record ListenerContext(
        String name,
        SettingsHolder settings,
        ListenerSettings initialSettings,
        AtomicReference<SslContext> tls,
        MessageSink journal,
        LongSupplier ids,
        IngressObserver observer,
        InflightBudget budget,
        BackPressure backPressure,
        AuthVerifier authVerifier,
        SessionRegistry sessions,
        EventPublisher events,
        BooleanSupplier shuttingDown,
        Quotas quotas,
        RecipientSuppression suppression,
        UnsubscribeHeaders unsubscribe,
        DkimStage dkim) {

    /** The TLS context new sessions use; null when the listener has no TLS. */
    SslContext sslContext() {
        return tls.get();
    }

    boolean isShuttingDown() {
        return shuttingDown.getAsBoolean();
    }
}
