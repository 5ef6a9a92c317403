package io.sluice.delivery;

/**
 * A typed failure of {@link OutboundConnector#connect} or {@link OutboundConnection#reset}: the kind, the stage it
 * happened in and, when the next hop answered, its reply (null for timeouts and I/O errors). The cause, when set,
 * is the underlying exception (for logs only).
 */
public final class OutboundException extends Exception {
    private static final long serialVersionUID = 1L;

    private final FailureKind kind;
    private final Stage stage;
    private final transient SmtpReply reply;

    public OutboundException(FailureKind kind, Stage stage, SmtpReply reply, String message, Throwable cause) {
        super(kind + " at " + stage + ": " + message, cause);
        this.kind = kind;
        this.stage = stage;
        this.reply = reply;
    }

    public FailureKind kind() {
        return kind;
    }

    public Stage stage() {
        return stage;
    }

    /** The reply that caused the failure, or null. */
    public SmtpReply reply() {
        return reply;
    }
}
