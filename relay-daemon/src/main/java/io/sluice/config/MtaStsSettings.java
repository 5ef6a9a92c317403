package io.sluice.config;

import java.time.Duration;

/**
 * MTA-STS for direct delivery ({@code mta_sts} in sluice.yaml; RFC 8461): per recipient domain, the
 * {@code _mta-sts} TXT record and the HTTPS policy decide whether its MX hosts must be matched and their
 * certificates verified.
 *
 * @param enabled      look up and apply policies ({@code enabled}, default true: what the big providers publish
 *                     protects their users only when senders honour it)
 * @param httpsPort    the port of {@code https://mta-sts.<domain>/} ({@code https_port}, default 443; only tests
 *                     and labs change it, like {@code delivery.mx_port})
 * @param fetchTimeout the longest one policy fetch may take, connect to last byte ({@code fetch_timeout},
 *                     default 20s)
 */
public record MtaStsSettings(boolean enabled, int httpsPort, Duration fetchTimeout) {

    public static final int DEFAULT_HTTPS_PORT = 443;
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(20);

    /** No {@code mta_sts} section: on, port 443, 20s. */
    public static MtaStsSettings defaults() {
        return new MtaStsSettings(true, DEFAULT_HTTPS_PORT, DEFAULT_FETCH_TIMEOUT);
    }
}
