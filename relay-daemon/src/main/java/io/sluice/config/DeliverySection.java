package io.sluice.config;

import io.sluice.config.DeliverySettings.OutboundTls;
import io.sluice.util.Durations;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Reads the {@code delivery} section (with its nested {@code retry} mapping) into {@link DeliverySettings}.
 *
 * <p>Defaults are {@link DeliverySettings#defaults(String)}; {@code ehlo_name} defaults to {@code smtp.hostname}
 * (passed in, already validated) and must be a host name, not an address literal. {@code bind_address} is an IP
 * literal, never resolved. Bounds, and why: SMTP timeouts 1ms-1d (zero would fail every session; RFC 5321 4.5.3.2
 * gives the defaults); connection age and idle time 1ms-1d; retry intervals 1ms-30d; {@code max_age} 1ms-365d;
 * counts at least 1; {@code retry.multiplier} a decimal from 1.0 (below 1 the intervals would shrink) to 100.
 * Cross-check: {@code retry.max} must not be below {@code retry.first}; reported at the key the file sets.
 */
final class DeliverySection {

    private static final Limits SMTP_TIMEOUT = millis(1, Duration.ofDays(1));
    private static final Limits RETRY_INTERVAL = millis(1, Duration.ofDays(30));
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,6}(\\.\\d{1,6})?");
    private static final double MAX_MULTIPLIER = 100.0;

    private DeliverySection() {
    }

    static DeliverySettings read(YamlMapping m, String smtpHostname) {
        DeliverySettings d = DeliverySettings.defaults(smtpHostname);
        int mxPort = m.integer("mx_port", d.mxPort(), Limits.PORT);
        boolean allowPrivateMx = m.bool("allow_private_mx", d.allowPrivateMx());
        String ehloName = m.read("ehlo_name", d.ehloName(), raw -> {
            if (!HostNameSyntax.isValid(raw)) {
                throw new IllegalArgumentException(raw + " is not a valid host name (letters, digits, '-' and '.')");
            }
            return raw;
        });
        String bindAddress = m.read("bind_address", d.bindAddress(), ListenersSection::ipLiteral);
        OutboundTls tls = m.choice("tls", OutboundTls.class, d.tls());
        Duration connect = m.duration("connect_timeout", d.connectTimeout(), SMTP_TIMEOUT);
        Duration greeting = m.duration("greeting_timeout", d.greetingTimeout(), SMTP_TIMEOUT);
        Duration command = m.duration("command_timeout", d.commandTimeout(), SMTP_TIMEOUT);
        Duration dataInit = m.duration("data_initiation_timeout", d.dataInitiationTimeout(), SMTP_TIMEOUT);
        Duration dataBlock = m.duration("data_block_timeout", d.dataBlockTimeout(), SMTP_TIMEOUT);
        Duration dataTerm = m.duration("data_termination_timeout", d.dataTerminationTimeout(), SMTP_TIMEOUT);
        int maxRecipients = m.integer("max_recipients_per_transaction", d.maxRecipientsPerMessage(),
                Limits.range(1, 100_000, Long::toString));
        int maxConnections = m.integer("max_connections_per_site", d.maxConnectionsPerSite(),
                Limits.range(1, 100_000, Long::toString));
        int maxDeliveries = m.integer("max_deliveries_per_connection", d.maxDeliveriesPerConnection(),
                Limits.POSITIVE_INT);
        Duration connectionMaxAge = m.duration("connection_max_age", d.connectionMaxAge(), SMTP_TIMEOUT);
        Duration idleTimeout = m.duration("idle_timeout", d.idleTimeout(), SMTP_TIMEOUT);

        YamlMapping retry = m.mapping("retry");
        Duration retryFirst = retry.duration("first", d.retryFirst(), RETRY_INTERVAL);
        double retryMultiplier = retry.read("multiplier", d.retryMultiplier(), DeliverySection::multiplier);
        Duration retryMax = retry.duration("max", d.retryMax(), RETRY_INTERVAL);
        retry.finish();

        Duration maxAge = m.duration("max_age", d.maxAge(), millis(1, Duration.ofDays(365)));
        boolean dsn = m.bool("dsn", d.dsn());
        boolean assumeDelivered = m.bool("assume_delivered_on_dot_timeout", d.assumeDeliveredOnDotTimeout());
        java.nio.file.Path caFile = m.path("tls_ca_file", null);
        m.finish();
        if (caFile != null) {
            FileChecks.requireReadableFile(m, "tls_ca_file", caFile);
            if (!m.failed("tls_ca_file")) {
                try (java.io.InputStream in = java.nio.file.Files.newInputStream(caFile)) {
                    if (java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)
                            .isEmpty()) {
                        m.error("tls_ca_file", caFile + " holds no certificate (PEM)");
                    }
                } catch (java.io.IOException | java.security.cert.CertificateException e) {
                    m.error("tls_ca_file", caFile + " is not PEM certificates: " + e.getMessage());
                }
            }
        }

        if (retryMax.compareTo(retryFirst) < 0 && !retry.failed("first") && !retry.failed("max")) {
            if (retry.isPresent("max")) {
                retry.error("max", Durations.format(retryMax) + " is below first (" + Durations.format(retryFirst)
                        + ")");
            } else {
                retry.error("first", Durations.format(retryFirst) + " is above max (" + Durations.format(retryMax)
                        + ")");
            }
        }
        return new DeliverySettings(mxPort, allowPrivateMx, ehloName, bindAddress, tls, connect, greeting, command,
                dataInit, dataBlock, dataTerm, maxRecipients, maxConnections, maxDeliveries, connectionMaxAge,
                idleTimeout, retryFirst, retryMultiplier, retryMax, maxAge, dsn, assumeDelivered, caFile);
    }

    private static double multiplier(String raw) {
        if (!DECIMAL.matcher(raw).matches()) {
            throw new IllegalArgumentException((raw.isEmpty() ? "\"\"" : raw)
                    + " is not a decimal number (e.g. 2.0)");
        }
        double value = Double.parseDouble(raw);
        if (value < 1.0) {
            throw new IllegalArgumentException(raw + " is below the minimum of 1.0 (intervals must not shrink)");
        }
        if (value > MAX_MULTIPLIER) {
            throw new IllegalArgumentException(raw + " is above the maximum of 100");
        }
        return value;
    }

    private static Limits millis(long minMs, Duration max) {
        return Limits.range(minMs, max.toMillis(), ms -> Durations.format(Duration.ofMillis(ms)));
    }
}
