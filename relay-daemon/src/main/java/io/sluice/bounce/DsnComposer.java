package io.sluice.bounce;

import io.sluice.util.HeaderAddress;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a delivery status notification (RFC 3464 in an RFC 6522 {@code multipart/report}) for a bounced or expired
 * message, to be queued through Sluice's own journal from the null sender {@code <>} to the original envelope
 * sender (durability contract: the DSN is appended before the OUTCOME that causes it).
 *
 * <p>Parts: a short human-readable explanation; {@code message/delivery-status} with one per-recipient block per
 * reported recipient; the original header section as {@code text/rfc822-headers}. When any address is non-ASCII
 * the report uses the RFC 6533 forms ({@code message/global-delivery-status}, {@code utf-8} address type,
 * {@code message/global-headers}). Diagnostic text from remote servers is untrusted: control characters are
 * replaced and it is cut to {@link #MAX_DIAGNOSTIC} characters, so no remote reply can add header lines or MIME
 * parts. A diagnostic with a {@code remoteMta} is that host's reply ({@code Diagnostic-Code: smtp; ...}); one without
 * is Sluice's own reason ({@code Diagnostic-Code: X-Sluice; ...}, as Postfix writes {@code X-Postfix}). Output lines
 * end in CRLF and stay under 998 octets except for original header lines (already limited at ingress). Pure and
 * thread-safe.
 */
public final class DsnComposer {
    /** Longest diagnostic text copied from a remote reply. */
    public static final int MAX_DIAGNOSTIC = 900;
    /**
     * RFC 5322 3.3 date-time in UTC with a numeric zone ({@code +0000}; {@code GMT} is the obsolete form), for every
     * date a DSN carries (header and report fields).
     */
    static final DateTimeFormatter RFC_5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.US)
            .withZone(ZoneOffset.UTC);

    private DsnComposer() {
    }

    /** The complete DSN message, headers and body, with CRLF line ends. */
    public static byte[] compose(DsnReport report) {
        boolean global = needsUtf8(report);
        String boundary = "=_sluice_" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + Long.toHexString(System.nanoTime());
        boolean anyFailed = report.recipients().stream()
                .anyMatch(r -> r.action() == RecipientStatus.Action.FAILED);
        StringBuilder sb = new StringBuilder(2048);
        line(sb, "From: Mail Delivery System <MAILER-DAEMON@" + report.reportingMta() + ">");
        line(sb, "To: <" + HeaderAddress.safe(report.envelopeSender()) + ">");
        line(sb, "Subject: " + (anyFailed ? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)"));
        line(sb, "Date: " + RFC_5322.format(report.lastAttempt()));
        line(sb, "Message-ID: <" + report.dsnMessageId() + "@" + report.reportingMta() + ">");
        line(sb, "Auto-Submitted: auto-replied");
        line(sb, "MIME-Version: 1.0");
        line(sb, "Content-Type: multipart/report; report-type=delivery-status;");
        line(sb, "\tboundary=\"" + boundary + "\"");
        line(sb, "");
        line(sb, "This is a MIME-encapsulated message.");
        line(sb, "");
        line(sb, "--" + boundary);
        line(sb, "Content-Description: Notification");
        line(sb, "Content-Type: text/plain; charset=utf-8");
        line(sb, "Content-Transfer-Encoding: 8bit");
        line(sb, "");
        humanReadable(sb, report, anyFailed);
        line(sb, "");
        line(sb, "--" + boundary);
        line(sb, "Content-Description: Delivery report");
        line(sb, "Content-Type: message/" + (global ? "global-delivery-status" : "delivery-status"));
        line(sb, "");
        line(sb, "Reporting-MTA: dns; " + report.reportingMta());
        if (report.queueId() != null) {
            line(sb, "X-Sluice-Queue-ID: " + report.queueId());
        }
        line(sb, "Arrival-Date: " + RFC_5322.format(report.arrivalDate()));
        for (RecipientStatus r : report.recipients()) {
            line(sb, "");
            line(sb, "Final-Recipient: " + addressType(r.recipient()) + "; " + HeaderAddress.safe(r.recipient()));
            line(sb, "Action: " + r.action().field());
            line(sb, "Status: " + r.status());
            if (r.remoteMta() != null) {
                line(sb, "Remote-MTA: dns; " + clean(r.remoteMta(), 255));
            }
            if (r.diagnostic() != null) {
                line(sb, "Diagnostic-Code: " + (r.remoteMta() != null ? "smtp; " : "X-Sluice; ")
                        + clean(r.diagnostic(), MAX_DIAGNOSTIC));
            }
            line(sb, "Last-Attempt-Date: " + RFC_5322.format(report.lastAttempt()));
        }
        line(sb, "");
        line(sb, "--" + boundary);
        line(sb, "Content-Description: Undelivered Message Headers");
        line(sb, "Content-Type: " + (global ? "message/global-headers" : "text/rfc822-headers"));
        line(sb, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream(sb.length() + report.originalHeaders().length + 64);
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(report.originalHeaders());
        out.writeBytes(("\r\n\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void humanReadable(StringBuilder sb, DsnReport report, boolean anyFailed) {
        line(sb, "This is the mail system at host " + report.reportingMta() + ".");
        line(sb, "");
        if (anyFailed) {
            line(sb, "Your message could not be delivered to one or more recipients. It is attached below");
            line(sb, "(headers only). The details follow.");
        } else {
            line(sb, "Your message has not been delivered yet to one or more recipients. Delivery will be");
            line(sb, "retried; you do not need to resend it.");
        }
        if (report.queueId() != null) {
            line(sb, "");
            line(sb, "Queue ID: " + report.queueId());
        }
        for (RecipientStatus r : report.recipients()) {
            line(sb, "");
            line(sb, "<" + HeaderAddress.safe(r.recipient()) + ">: " + r.action().field() + " (" + r.status() + ")");
            if (r.action() == RecipientStatus.Action.FAILED && r.status().startsWith("4.")) {
                line(sb, "    Delivery was retried until the message expired. The last attempt's result:");
            }
            if (r.diagnostic() != null) {
                line(sb, "    " + (r.remoteMta() != null ? clean(r.remoteMta(), 255) + " said: " : "")
                        + clean(r.diagnostic(), MAX_DIAGNOSTIC));
            }
        }
    }

    private static boolean needsUtf8(DsnReport report) {
        if (!isAscii(report.envelopeSender())) {
            return true;
        }
        for (RecipientStatus r : report.recipients()) {
            if (!isAscii(r.recipient())) {
                return true;
            }
        }
        for (byte b : report.originalHeaders()) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    private static String addressType(String address) {
        return isAscii(address) ? "rfc822" : "utf-8";
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Remote text made safe for one header line: no control characters, bounded length. */
    static String clean(String text, int max) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && sb.length() < max; i++) {
            char c = text.charAt(i);
            sb.append(c < ' ' || c == 0x7f ? ' ' : c);
        }
        return sb.toString().strip();
    }

    private static void line(StringBuilder sb, String line) {
        sb.append(line).append("\r\n");
    }
}
