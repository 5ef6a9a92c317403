package io.sluice.delivery;

import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * One client-side conversation step driven by {@link SmtpClientHandler}: opening the session, a mail transaction,
 * RSET or QUIT. At most one is installed per connection; it owns the connection until it calls
 * {@link SmtpClientHandler#idle()} or the connection breaks.
 *
 * <p>Threading: all methods run on the channel's event loop.
 */
interface Exchange {

    /** The channel is active and this exchange is installed: write the first command (or wait for the greeting). */
    void start();

    /** The next reply, in order. */
    void onReply(SmtpReply reply);

    /** The TLS handshake ended (only the session opening starts one). */
    default void onTlsHandshake(SslHandshakeCompletionEvent event) {
    }

    /**
     * The connection broke in {@code stage} (timeout, I/O error, protocol error, closed): complete the caller's
     * future. The channel is already closing and the exchange uninstalled.
     */
    void onBroken(FailureKind kind, Stage stage, String detail, Throwable cause);
}
