package io.sluice.daemon;

import io.sluice.metrics.ConnectionRejectReason;
import io.sluice.metrics.ListenerMetrics;
import io.sluice.metrics.RejectReason;
import io.sluice.smtp.server.IngressObserver;
import io.sluice.smtp.server.Rejection;

/** Binds one listener's {@link IngressObserver} to its pre-labelled Prometheus series. Thread-safe, allocation-free. */
final class IngressMetrics implements IngressObserver {
    private final ListenerMetrics metrics;

    IngressMetrics(ListenerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void connectionOpened() {
        metrics.connectionOpened();
    }

    @Override
    public void connectionClosed() {
        metrics.connectionClosed();
    }

    @Override
    public void rejected(Rejection reason) {
        switch (reason) {
            case TOO_MANY_CONNECTIONS:
                metrics.connectionRejected(ConnectionRejectReason.TOO_MANY);
                break;
            case TOO_MANY_CONNECTIONS_PER_IP:
                metrics.connectionRejected(ConnectionRejectReason.TOO_MANY_PER_IP);
                break;
            case SHUTTING_DOWN:
                metrics.connectionRejected(ConnectionRejectReason.SHUTTING_DOWN);
                break;
            case BARE_LINE_ENDING:
                metrics.smtpRejected(RejectReason.BARE_LF);
                break;
            default:
                metrics.smtpRejected(RejectReason.valueOf(reason.name()));
                break;
        }
    }

    @Override
    public void messageAccepted(int recipients, long bytes, long submissionNanos) {
        metrics.messageReceived(recipients, bytes);
        metrics.submissionNanos(submissionNanos);
    }
}
