package io.sluice.config;

import java.time.Duration;

/**
 * Ingress SMTP limits and timeouts ({@code smtp} in sluice.yaml). Every length is in octets and includes the CRLF.
 *
 * @param hostname               name in the greeting, EHLO reply and Received header ({@code hostname},
 *                               default: the machine's host name)
 * @param maxCommandLineOctets   longest command line ({@code max_command_line}, default 512, RFC 5321 4.5.3.1.4)
 * @param maxTextLineOctets      longest line of message text ({@code max_text_line}, default 1000, RFC 5321
 *                               4.5.3.1.6)
 * @param maxMessageBytes        largest message as stored ({@code max_message_size}, default 20MiB); advertised
 *                               in EHLO SIZE and checked at MAIL and during DATA
 * @param maxRecipients          recipients per message ({@code max_recipients}, default 1000)
 * @param maxConnections         concurrent connections over all listeners ({@code max_connections}, default 1000)
 * @param maxConnectionsPerIp    concurrent connections per client IP ({@code max_connections_per_ip}, default 50)
 * @param maxErrors              protocol errors in one session before 421 and close ({@code max_errors},
 *                               default 10)
 * @param maxPipelinedBytes      unprocessed input buffered per session before reading stops
 *                               ({@code max_pipelined_bytes}, default 64KiB)
 * @param bareLf                 bare LF or CR inside DATA: normalize (store as CRLF) or reject
 *                               ({@code bare_lf}, default normalize)
 * @param maxInflightDataBytes   message bytes held in memory over all sessions (receiving or waiting for the
 *                               journal) before sessions stop reading ({@code max_inflight_data_bytes},
 *                               default 256MiB)
 * @param hopLimit               Received headers allowed before 554 5.4.6 ({@code hop_limit}, default 50)
 * @param commandTimeout         wait for the next command ({@code command_timeout}, default 5m, RFC 5321
 *                               4.5.3.2.7)
 * @param dataTimeout            wait for more message text during DATA ({@code data_timeout}, default 3m)
 * @param maxSoftDelay           longest reply delay applied as soft back-pressure ({@code max_soft_delay},
 *                               default 1s)
 * @param dataDeadline           longest whole DATA phase, from the 354 to the final dot ({@code data_deadline},
 *                               default 10m)
 * @param minDataRateBytesPerSec slowest message text accepted, averaged as Postfix's {@code smtpd_min_data_rate}
 *                               does ({@code min_data_rate}, default 500; 0 turns it off)
 * @param evictStalledAfter      at {@code max_connections}, a new connection closes the session stalled longest,
 *                               if it has made no progress for at least this long ({@code evict_stalled_after},
 *                               default 10s; 0 never closes one)
 * @param postmasterAddress      where {@code RCPT TO:<postmaster>} without a domain goes (RFC 5321 4.5.1;
 *                               {@code postmaster_address}, a mailbox; default none: such a RCPT is refused)
 * @param longLines              a text line longer than {@code max_text_line}: reject the message (554 5.6.0 naming
 *                               the limit and this key) or accept it as sent, up to {@link #LONG_LINE_HARD_CAP}
 *                               ({@code long_lines}, default reject)
 */
public record SmtpSettings(
        String hostname,
        int maxCommandLineOctets,
        int maxTextLineOctets,
        long maxMessageBytes,
        int maxRecipients,
        int maxConnections,
        int maxConnectionsPerIp,
        int maxErrors,
        int maxPipelinedBytes,
        BareLfPolicy bareLf,
        long maxInflightDataBytes,
        int hopLimit,
        Duration commandTimeout,
        Duration dataTimeout,
        Duration maxSoftDelay,
        Duration dataDeadline,
        long minDataRateBytesPerSec,
        Duration evictStalledAfter,
        String postmasterAddress,
        LongLinesPolicy longLines) {

    public static final int DEFAULT_MAX_COMMAND_LINE = 512;
    public static final int DEFAULT_MAX_TEXT_LINE = 1000;
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 20L * 1024 * 1024;
    public static final int DEFAULT_MAX_RECIPIENTS = 1000;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 50;
    public static final int DEFAULT_MAX_ERRORS = 10;
    public static final int DEFAULT_MAX_PIPELINED_BYTES = 64 * 1024;
    public static final long DEFAULT_MAX_INFLIGHT_DATA_BYTES = 256L * 1024 * 1024;
    public static final int DEFAULT_HOP_LIMIT = 50;
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_DATA_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration DEFAULT_MAX_SOFT_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DATA_DEADLINE = Duration.ofMinutes(10);
    /** Postfix's {@code smtpd_min_data_rate} default. */
    public static final long DEFAULT_MIN_DATA_RATE = 500;
    public static final Duration DEFAULT_EVICT_STALLED_AFTER = Duration.ofSeconds(10);

    /**
     * Longest text line taken with {@code long_lines: accept} (octets, CRLF included; the largest
     * {@code max_text_line}): past it the message is refused all the same, since such a "line" is no longer text.
     */
    public static final int LONG_LINE_HARD_CAP = 1024 * 1024;

    /** The line limit the DATA decoder enforces: {@code max_text_line}, or the hard cap when long lines are taken. */
    public int enforcedTextLineOctets() {
        return longLines == LongLinesPolicy.ACCEPT ? Math.max(maxTextLineOctets, LONG_LINE_HARD_CAP)
                : maxTextLineOctets;
    }

    /**
     * What to do with a message text line longer than {@code max_text_line}. RFC 5321 4.5.3.1.6 caps a line at 1000
     * octets with its CRLF, and some receivers refuse longer ones or cut them; Postfix's client instead folds them
     * when it sends ({@code smtp_line_length_limit}). Sluice delivers bytes as stored (DKIM signs them), so it
     * either refuses at DATA, where the client still holds the message and is told why, or takes the risk knowingly.
     */
    public enum LongLinesPolicy {
        /** Refuse the message with 554 5.6.0 naming the limit and {@code smtp.long_lines} (the default). */
        REJECT,
        /** Store and deliver long lines as sent, up to {@link #LONG_LINE_HARD_CAP} octets a line. */
        ACCEPT
    }

    /** What to do with a bare LF or bare CR inside message text. */
    public enum BareLfPolicy {
        /** Store it as CRLF. It never counts as a line end for dot-stuffing or end of data. */
        NORMALIZE,
        /** Read the message to its end, then refuse it with 550 5.6.0. */
        REJECT
    }
}
