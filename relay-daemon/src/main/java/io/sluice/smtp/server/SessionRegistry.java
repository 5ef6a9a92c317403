package io.sluice.smtp.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open sessions of all listeners, so shutdown can reach each one on its own event loop. Thread-safe.
 */
final class SessionRegistry {
    private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();

    void add(SmtpSession session) {
        sessions.add(session);
    }

    void remove(SmtpSession session) {
        sessions.remove(session);
    }

    Set<SmtpSession> snapshot() {
        return Set.copyOf(sessions);
    }

    int size() {
        return sessions.size();
    }
}
