package io.sluice.config;

import java.nio.file.Path;

/**
 * The public HTTP listener for one-click unsubscribe ({@code web} in sluice.yaml; RFC 8058). Never the admin API:
 * it serves only the unsubscribe page and its POST, to anyone on the internet, within its own limits.
 *
 * @param enabled            serve it ({@code enabled}, default false; a route with {@code unsubscribe} needs it)
 * @param address            IP literal to bind ({@code address}, default 127.0.0.1: behind a proxy; 0.0.0.0 or ::
 *                           to face the internet)
 * @param port               TCP port ({@code port}, default 8080)
 * @param tlsCertFile        PEM certificate chain ({@code tls_cert}); with {@code tls_key}, HTTPS; neither: plain
 *                           HTTP (TLS ends at a proxy in front)
 * @param tlsKeyFile         PEM PKCS#8 private key ({@code tls_key})
 * @param maxConnections     open connections at once ({@code max_connections}, default 256); more are closed at once
 * @param maxRequestsPerIp   requests per client IP per minute ({@code max_requests_per_ip}, default 300: mailbox
 *                           providers POST their users' unsubscribes from few addresses); more get 429
 * @param trustedProxies     proxies in front ({@code trusted_proxies}, default none): a request from one of them is
 *                           counted for the last address of its {@code X-Forwarded-For}
 */
public record WebSettings(boolean enabled, String address, int port, Path tlsCertFile, Path tlsKeyFile,
                          int maxConnections, int maxRequestsPerIp, io.sluice.util.CidrSet trustedProxies) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_REQUESTS_PER_IP = 300;

    /** No {@code web} section: off. */
    public static WebSettings defaults() {
        return new WebSettings(false, DEFAULT_ADDRESS, DEFAULT_PORT, null, null, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_REQUESTS_PER_IP, io.sluice.util.CidrSet.parse(java.util.List.of()));
    }

    /** Whether it serves HTTPS itself. */
    public boolean tls() {
        return tlsCertFile != null && tlsKeyFile != null;
    }
}
