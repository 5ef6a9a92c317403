package io.sluice.smtp.server;

/**
 * What ingress reports about itself; the daemon binds it to the Prometheus metrics. One instance per listener,
 * called on event loops, so implementations must be thread-safe and cheap (pre-bound counters, no lookups).
 */
public interface IngressObserver {

    void connectionOpened();

    void connectionClosed();

    /** A connection, command or message was refused. */
    void rejected(Rejection reason);

    /** A message was acknowledged with 250; {@code submissionNanos} runs from end of DATA to the 250. */
    void messageAccepted(int recipients, long bytes, long submissionNanos);

    /** Ignores everything (tests that do not look at metrics). */
    IngressObserver NONE = new IngressObserver() {
        @Override
        public void connectionOpened() {
        }

        @Override
        public void connectionClosed() {
        }

        @Override
        public void rejected(Rejection reason) {
        }

        @Override
        public void messageAccepted(int recipients, long bytes, long submissionNanos) {
        }
    };
}
