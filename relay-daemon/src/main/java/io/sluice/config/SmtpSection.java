package io.sluice.config;

import static io.sluice.config.SmtpSettings.*;

import io.sluice.config.SmtpSettings.BareLfPolicy;
import io.sluice.config.SmtpSettings.LongLinesPolicy;
import io.sluice.util.DataSizes;
import io.sluice.util.Durations;
import io.sluice.util.IdnDomain;
import io.sluice.util.MailboxSyntax;
import java.time.Duration;
import java.util.function.LongFunction;

/**
 * Reads the {@code smtp} section into {@link SmtpSettings}: ingress limits and timeouts.
 *
 * <p>Bounds, and why: line lengths not below the RFC 5321 minimums (512 for commands, 1000 for text), since a
 * smaller limit breaks conforming clients; a message size of at least 1KiB and at most 1GiB (Netty buffers and
 * journal records are int-indexed); timeouts and deadlines between 1ms and 1d; {@code min_data_rate} up to 1GB/s. Cross-checks: a full command must fit in the
 * pipelining buffer, one message must fit in the in-flight budget, and the per-IP connection cap must not exceed
 * the global one. A cross-check is reported at the key the file sets (the smaller one when both are set).
 * {@code postmaster_address} must be a mailbox RCPT would accept, at a domain name (no literal, not single-label).
 */
final class SmtpSection {

    private static final Limits TIMEOUT = Limits.range(1, Duration.ofDays(1).toMillis(), SmtpSection::millis);

    private SmtpSection() {
    }

    static SmtpSettings read(YamlMapping m) {
        String hostname = m.read("hostname", null, raw -> {
            if (!HostNameSyntax.isValid(raw)) {
                throw new IllegalArgumentException(raw + " is not a valid host name (letters, digits, '-' and '.')");
            }
            return raw;
        });
        int maxCommandLine = (int) m.size("max_command_line", DEFAULT_MAX_COMMAND_LINE,
                Limits.range(512, 64 * 1024, DataSizes::format).minimumBecause("RFC 5321 4.5.3.1.4"));
        int maxTextLine = (int) m.size("max_text_line", DEFAULT_MAX_TEXT_LINE,
                Limits.range(1000, 1024 * 1024, DataSizes::format).minimumBecause("RFC 5321 4.5.3.1.6"));
        long maxMessage = m.size("max_message_size", DEFAULT_MAX_MESSAGE_BYTES,
                Limits.range(1024, 1024L * 1024 * 1024, DataSizes::format));
        int maxRecipients = m.integer("max_recipients", DEFAULT_MAX_RECIPIENTS,
                Limits.range(1, 100_000, Long::toString));
        int maxConnections = m.integer("max_connections", DEFAULT_MAX_CONNECTIONS,
                Limits.range(1, 1_000_000, Long::toString));
        int maxPerIp = m.integer("max_connections_per_ip", DEFAULT_MAX_CONNECTIONS_PER_IP,
                Limits.range(1, 1_000_000, Long::toString));
        int maxErrors = m.integer("max_errors", DEFAULT_MAX_ERRORS, Limits.range(1, 1000, Long::toString));
        int maxPipelined = (int) m.size("max_pipelined_bytes", DEFAULT_MAX_PIPELINED_BYTES,
                Limits.range(512, 64L * 1024 * 1024, DataSizes::format));
        BareLfPolicy bareLf = m.choice("bare_lf", BareLfPolicy.class, BareLfPolicy.NORMALIZE);
        LongLinesPolicy longLines = m.choice("long_lines", LongLinesPolicy.class, LongLinesPolicy.REJECT);
        long maxInflight = m.size("max_inflight_data_bytes", DEFAULT_MAX_INFLIGHT_DATA_BYTES,
                Limits.range(1024, 1L << 40, DataSizes::format));
        int hopLimit = m.integer("hop_limit", DEFAULT_HOP_LIMIT, Limits.range(1, 1000, Long::toString));
        Duration commandTimeout = m.duration("command_timeout", DEFAULT_COMMAND_TIMEOUT, TIMEOUT);
        Duration dataTimeout = m.duration("data_timeout", DEFAULT_DATA_TIMEOUT, TIMEOUT);
        Duration maxSoftDelay = m.duration("max_soft_delay", DEFAULT_MAX_SOFT_DELAY,
                Limits.range(0, Duration.ofMinutes(1).toMillis(), SmtpSection::millis));
        Duration dataDeadline = m.duration("data_deadline", DEFAULT_DATA_DEADLINE, TIMEOUT);
        long minDataRate = m.integer("min_data_rate", (int) DEFAULT_MIN_DATA_RATE,
                Limits.range(0, 1_000_000_000, Long::toString));
        Duration evictStalledAfter = m.duration("evict_stalled_after", DEFAULT_EVICT_STALLED_AFTER,
                Limits.range(0, Duration.ofDays(1).toMillis(), SmtpSection::millis));
        String postmaster = m.read("postmaster_address", null, SmtpSection::mailbox);
        m.finish();

        notAbove(m, "max_connections_per_ip", maxPerIp, "max_connections", maxConnections, Long::toString);
        notAbove(m, "max_command_line", maxCommandLine, "max_pipelined_bytes", maxPipelined, DataSizes::format);
        notAbove(m, "max_message_size", maxMessage, "max_inflight_data_bytes", maxInflight, DataSizes::format);

        return new SmtpSettings(hostname != null ? hostname : DefaultHostname.get(), maxCommandLine, maxTextLine,
                maxMessage, maxRecipients, maxConnections, maxPerIp, maxErrors, maxPipelined, bareLf, maxInflight,
                hopLimit, commandTimeout, dataTimeout, maxSoftDelay, dataDeadline, minDataRate, evictStalledAfter,
                postmaster, longLines);
    }

    /** Requires {@code small <= big}; skipped when either value already failed (it is a default, not the file's). */
    private static void notAbove(YamlMapping m, String smallKey, long small, String bigKey, long big,
            LongFunction<String> show) {
        if (small <= big || m.failed(smallKey) || m.failed(bigKey)) {
            return;
        }
        if (m.isPresent(smallKey)) {
            m.error(smallKey, show.apply(small) + " is above " + bigKey + " (" + show.apply(big) + ")");
        } else {
            m.error(bigKey, show.apply(big) + " is below " + smallKey + " (" + show.apply(small) + ")");
        }
    }

    /** A mailbox as RCPT would accept it (RFC 5321 4.1.2, IDNA 2008 domain), with a domain name, not a literal. */
    private static String mailbox(String raw) {
        String problem = MailboxSyntax.mailboxProblem(raw, 0, raw.length());
        if (problem != null) {
            throw new IllegalArgumentException(raw + " is not a mailbox (" + problem + ")");
        }
        String domain = raw.substring(MailboxSyntax.atSign(raw, 0, raw.length()) + 1);
        if (domain.startsWith("[") || domain.indexOf('.') < 0 || IdnDomain.toAscii(domain) == null) {
            throw new IllegalArgumentException(raw + " needs a fully qualified domain name that Sluice can deliver to");
        }
        return raw;
    }

    private static String millis(long ms) {
        return Durations.format(Duration.ofMillis(ms));
    }
}
