package io.sluice.config;

import java.time.Duration;

/**
 * Outbound delivery ({@code delivery} in sluice.yaml). Timeouts follow RFC 5321 4.5.3.2.
 *
 * @param mxPort                    TCP port of MX hosts ({@code mx_port}, default 25; labs use a loopback port)
 * @param allowPrivateMx            deliver to loopback/private/link-local/own addresses found in MX or A records
 *                                  ({@code allow_private_mx}, default false; tests set true)
 * @param ehloName                  name sent in EHLO ({@code ehlo_name}, default: smtp.hostname)
 * @param bindAddress               source IP literal for outbound connections ({@code bind_address}, default none:
 *                                  the kernel chooses)
 * @param tls                       opportunistic | required | verify | none ({@code tls}, default opportunistic)
 * @param connectTimeout            TCP connect ({@code connect_timeout}, default 30s)
 * @param greetingTimeout           wait for the 220 ({@code greeting_timeout}, default 5m)
 * @param commandTimeout            EHLO/MAIL/RCPT/RSET/QUIT replies ({@code command_timeout}, default 5m)
 * @param dataInitiationTimeout     reply to DATA ({@code data_initiation_timeout}, default 2m)
 * @param dataBlockTimeout          each write of message text ({@code data_block_timeout}, default 3m)
 * @param dataTerminationTimeout    reply to the final dot ({@code data_termination_timeout}, default 10m)
 * @param maxRecipientsPerMessage   recipients of one domain per transaction ({@code max_recipients_per_transaction},
 *                                  default 100)
 * @param maxConnectionsPerSite     concurrent connections per (source, site) ({@code max_connections_per_site},
 *                                  default 10)
 * @param maxDeliveriesPerConnection transactions before a connection is closed ({@code max_deliveries_per_connection},
 *                                  default 100)
 * @param connectionMaxAge          oldest a connection may be reused ({@code connection_max_age}, default 5m)
 * @param idleTimeout               close an unused connection after ({@code idle_timeout}, default 30s)
 * @param retryFirst                first retry interval ({@code retry.first}, default 5m)
 * @param retryMultiplier           growth per attempt ({@code retry.multiplier}, default 2.0)
 * @param retryMax                  longest interval ({@code retry.max}, default 4h)
 * @param maxAge                    give up (expire) after ({@code max_age}, default 5d)
 * @param dsn                       send RFC 3464 DSNs on bounce/expiry ({@code dsn}, default true)
 * @param assumeDeliveredOnDotTimeout treat a timeout after the final dot as delivered
 *                                  ({@code assume_delivered_on_dot_timeout}, default false)
 * @param tlsCaFile                 PEM certificates trusted to verify next hops ({@code tls_ca_file}, default none:
 *                                  the JDK's trust store); for {@code tls: verify} towards private CAs and in tests
 */
public record DeliverySettings(
        int mxPort,
        boolean allowPrivateMx,
        String ehloName,
        String bindAddress,
        OutboundTls tls,
        Duration connectTimeout,
        Duration greetingTimeout,
        Duration commandTimeout,
        Duration dataInitiationTimeout,
        Duration dataBlockTimeout,
        Duration dataTerminationTimeout,
        int maxRecipientsPerMessage,
        int maxConnectionsPerSite,
        int maxDeliveriesPerConnection,
        Duration connectionMaxAge,
        Duration idleTimeout,
        Duration retryFirst,
        double retryMultiplier,
        Duration retryMax,
        Duration maxAge,
        boolean dsn,
        boolean assumeDeliveredOnDotTimeout,
        java.nio.file.Path tlsCaFile) {

    /** Settings trusting the JDK's store (no {@code tls_ca_file}). */
    public DeliverySettings(int mxPort, boolean allowPrivateMx, String ehloName, String bindAddress, OutboundTls tls,
                            Duration connectTimeout, Duration greetingTimeout, Duration commandTimeout,
                            Duration dataInitiationTimeout, Duration dataBlockTimeout,
                            Duration dataTerminationTimeout, int maxRecipientsPerMessage, int maxConnectionsPerSite,
                            int maxDeliveriesPerConnection, Duration connectionMaxAge, Duration idleTimeout,
                            Duration retryFirst, double retryMultiplier, Duration retryMax, Duration maxAge,
                            boolean dsn, boolean assumeDeliveredOnDotTimeout) {
        this(mxPort, allowPrivateMx, ehloName, bindAddress, tls, connectTimeout, greetingTimeout, commandTimeout,
                dataInitiationTimeout, dataBlockTimeout, dataTerminationTimeout, maxRecipientsPerMessage,
                maxConnectionsPerSite, maxDeliveriesPerConnection, connectionMaxAge, idleTimeout, retryFirst,
                retryMultiplier, retryMax, maxAge, dsn, assumeDeliveredOnDotTimeout, null);
    }

    /** Outbound TLS policy. */
    public enum OutboundTls {
        /** STARTTLS when offered; after a failed handshake retry in clear text and remember that per site. */
        OPPORTUNISTIC,
        /** Never send without TLS: a site without STARTTLS gets a temporary failure. Encrypted, not authenticated. */
        REQUIRED,
        /**
         * As {@code required}, and the next hop's certificate must validate against the trust store (the JDK's, or
         * {@code tls_ca_file}) and name the host connected to (RFC 6125 DNS-ID, a wildcard for the leftmost label
         * only); otherwise the attempt fails as a TLS failure and the mail is retried, never sent in clear text.
         */
        VERIFY,
        /** Never use STARTTLS. */
        NONE
    }

    /**
     * These settings as one source sends with them: its local address ({@code null} = the kernel chooses) and EHLO
     * name in place of {@code bind_address} and {@code ehlo_name}; everything else unchanged.
     */
    public DeliverySettings forSource(String sourceAddress, String sourceEhloName) {
        return new DeliverySettings(mxPort, allowPrivateMx, sourceEhloName, sourceAddress, tls, connectTimeout,
                greetingTimeout, commandTimeout, dataInitiationTimeout, dataBlockTimeout, dataTerminationTimeout,
                maxRecipientsPerMessage, maxConnectionsPerSite, maxDeliveriesPerConnection, connectionMaxAge,
                idleTimeout, retryFirst, retryMultiplier, retryMax, maxAge, dsn, assumeDeliveredOnDotTimeout,
                tlsCaFile);
    }

    /** Whether this policy never sends without TLS ({@code required} or {@code verify}). */
    public boolean tlsMandatory() {
        return tls == OutboundTls.REQUIRED || tls == OutboundTls.VERIFY;
    }

    /**
     * These settings towards a smarthost: its {@code port} in place of {@code mx_port} and its {@code tls};
     * everything else (the source's address and EHLO name, timeouts, limits) unchanged.
     */
    public DeliverySettings towardsSmarthost(int port, OutboundTls smarthostTls) {
        return new DeliverySettings(port, allowPrivateMx, ehloName, bindAddress, smarthostTls, connectTimeout,
                greetingTimeout, commandTimeout, dataInitiationTimeout, dataBlockTimeout, dataTerminationTimeout,
                maxRecipientsPerMessage, maxConnectionsPerSite, maxDeliveriesPerConnection, connectionMaxAge,
                idleTimeout, retryFirst, retryMultiplier, retryMax, maxAge, dsn, assumeDeliveredOnDotTimeout,
                tlsCaFile);
    }

    /**
     * These settings on a shaped path: its {@code tls} and {@code idle_timeout} (conf/shaping.yaml) in place of
     * delivery's; everything else unchanged.
     */
    public DeliverySettings shaped(OutboundTls pathTls, Duration pathIdleTimeout) {
        return new DeliverySettings(mxPort, allowPrivateMx, ehloName, bindAddress, pathTls, connectTimeout,
                greetingTimeout, commandTimeout, dataInitiationTimeout, dataBlockTimeout, dataTerminationTimeout,
                maxRecipientsPerMessage, maxConnectionsPerSite, maxDeliveriesPerConnection, connectionMaxAge,
                pathIdleTimeout, retryFirst, retryMultiplier, retryMax, maxAge, dsn, assumeDeliveredOnDotTimeout,
                tlsCaFile);
    }

    public static DeliverySettings defaults(String hostname) {
        return new DeliverySettings(25, false, hostname, null, OutboundTls.OPPORTUNISTIC, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3),
                Duration.ofMinutes(10), 100, 10, 100, Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofMinutes(5), 2.0, Duration.ofHours(4), Duration.ofDays(5), true, false);
    }
}
