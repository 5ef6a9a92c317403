package io.sluice.smtp.server;

import io.netty.handler.ssl.SslContext;
import io.sluice.config.ListenerSettings;
import io.sluice.config.SettingsHolder;
import io.sluice.events.EventPublisher;
import io.sluice.journal.JournalWriter;
import io.sluice.smtp.server.auth.AuthVerifier;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What every session of one listener shares: its name and first settings, TLS context, the journal writer and id
 * source, the shared memory budget and back-pressure, the AUTH verifier (null when the listener has no AUTH), the
 * session registry for shutdown, the event log, and the observer. Immutable; thread-safe parts only.
 */
record ListenerContext(
        String name,
        SettingsHolder settings,
        ListenerSettings initialSettings,
        SslContext sslContext,
        JournalWriter journal,
        LongSupplier ids,
        IngressObserver observer,
        InflightBudget budget,
        BackPressure backPressure,
        AuthVerifier authVerifier,
        SessionRegistry sessions,
        EventPublisher events,
        BooleanSupplier shuttingDown) {

    boolean isShuttingDown() {
        return shuttingDown.getAsBoolean();
    }
}
