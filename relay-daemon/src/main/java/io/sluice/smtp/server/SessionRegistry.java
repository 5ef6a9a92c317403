package io.sluice.smtp.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open sessions of all listeners, so shutdown can reach each one on its own event loop, and so a new connection
 * at {@code smtp.max_connections} can find the session that has stalled longest ({@link #claimMostStalled}).
 * Thread-safe.
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

    /**
     * The session whose last progress is oldest, if that is at least {@code minStalledNanos} ago, claimed so that no
     * other caller picks it too; null when none qualifies. Any thread. A scan of all sessions, allocation-free, made
     * only when a connection finds the cap full: never on a message's path.
     */
    SmtpSession claimMostStalled(long minStalledNanos) {
        while (true) {
            long now = System.nanoTime();
            SmtpSession oldest = null;
            long oldestProgress = 0;
            for (SmtpSession session : sessions) {
                if (session.timeout().evictionClaimed()) {
                    continue; // being closed by another connection's claim (or was): not a candidate
                }
                long progress = session.timeout().stalledSinceNanos();
                if (now - progress >= minStalledNanos && (oldest == null || progress - oldestProgress < 0)) {
                    oldest = session;
                    oldestProgress = progress;
                }
            }
            if (oldest == null || oldest.timeout().claimEviction()) {
                return oldest;
            }
            // Another connection claimed it between the scan and the claim: look again. Claimed sessions are
            // skipped, and each failed claim means one more is claimed, so this ends.
        }
    }
}
