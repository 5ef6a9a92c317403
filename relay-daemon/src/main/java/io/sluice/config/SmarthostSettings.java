package io.sluice.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A server that takes mail for any destination ({@code smarthosts[]} in sluice.yaml), such as an ESP or a corporate
 * relay; routes name smarthosts in failover order.
 *
 * @param name    unique name; routes refer to it ({@code name})
 * @param host    IP literal or host name ({@code host}, required); a name is resolved by A/AAAA, never MX
 * @param port    TCP port 1-65535 ({@code port}, default 25)
 * @param tls     none | opportunistic | required ({@code tls}, default opportunistic)
 * @param auth    SMTP AUTH credentials ({@code auth}), or null for none; never with tls none
 * @param circuit when to stop trying the smarthost and when to probe it again ({@code circuit})
 */
public record SmarthostSettings(String name, String host, int port, Tls tls, Auth auth, Circuit circuit) {

    public static final int DEFAULT_PORT = 25;

    /** Transport security towards a smarthost. */
    public enum Tls {
        /** Never STARTTLS. */
        NONE,
        /** STARTTLS when offered, else clear text. */
        OPPORTUNISTIC,
        /** STARTTLS or no delivery (a temporary failure). */
        REQUIRED,
        /** As required, and its certificate validates and names its host (as {@code delivery.tls: verify}). */
        VERIFY
    }

    /**
     * AUTH PLAIN or LOGIN after TLS.
     *
     * @param username     the AUTH identity ({@code username}, required)
     * @param passwordFile file whose content is the password ({@code password_file}, required, readable)
     */
    public record Auth(String username, Path passwordFile) {
    }

    /**
     * A circuit breaker.
     *
     * @param openAfter consecutive failures that open it ({@code open_after}, at least 1, default 3)
     * @param cooldown  wait before the first probe once open ({@code cooldown}, default 30s)
     */
    public record Circuit(int openAfter, Duration cooldown) {
        public static final Circuit DEFAULT = new Circuit(3, Duration.ofSeconds(30));
    }
}
