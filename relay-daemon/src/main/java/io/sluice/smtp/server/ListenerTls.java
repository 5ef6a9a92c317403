package io.sluice.smtp.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.sluice.config.ListenerSettings;

/**
 * Builds a listener's server TLS context from its {@code tls_cert} and {@code tls_key} files: the one place that
 * decides whether those files are usable, shared by the listener's start, a reload ({@link SmtpServer#prepareTlsReload})
 * and the start-up checks that run before the journal is opened (and in {@code sluice check-config}).
 *
 * <p>Reads both files on every call (a renewed certificate at the same path counts). Stateless, thread-safe.
 */
public final class ListenerTls {

    private ListenerTls() {
    }

    /** The listener's server context, or null when its TLS mode is none. */
    static SslContext context(ListenerSettings listener) throws Exception {
        if (listener.tls() == ListenerSettings.TlsMode.NONE) {
            return null;
        }
        return SslContextBuilder.forServer(listener.tlsCertFile().toFile(), listener.tlsKeyFile().toFile()).build();
    }

    /**
     * Why listener number {@code index} cannot serve TLS with its files, as {@code listeners[i].tls_cert: <cert>
     * with tls_key <key>: not a usable certificate and key: <cause>}, or null when it can (or has no TLS).
     */
    public static String problem(int index, ListenerSettings listener) {
        try {
            context(listener);
            return null;
        } catch (Exception e) {
            return describe(index, listener, e);
        }
    }

    static String describe(int index, ListenerSettings listener, Exception e) {
        return "listeners[" + index + "].tls_cert: " + listener.tlsCertFile() + " with tls_key "
                + listener.tlsKeyFile() + ": not a usable certificate and key: " + e.getMessage();
    }
}
