package io.sluice.bounce.intake;

import io.sluice.bounce.intake.BounceReport.Kind;
import io.sluice.classify.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a message received at the feedback address into a {@link BounceReport}: which recipients it is about and
 * what it says about each. Reads RFC 3464 DSNs (message/delivery-status), RFC 5965 complaints
 * (message/feedback-report), RFC 3834 auto-replies, Amazon SES notifications ({@link SesNotifications}), and the
 * non-standard text bounces many MTAs still send ({@link TextBounceScanner}). Classification is separate
 * ({@link BounceClassifier}).
 *
 * <p>Input is hostile: any bytes, at most what the feedback listener accepted (its message size limit). Parsing
 * never throws for bad content; a message nothing can be read from is {@link Kind#NOT_A_BOUNCE}. Stateless and
 * thread-safe.
 */
public final class BounceParser {
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^message-id:\\s*(<[^>\\s]+>)");
    /** A Diagnostic-Code that is only the first line of a multi-line reply ({@code smtp; 552-5.7.0 ...}). */
    private static final Pattern CUT_REPLY = Pattern.compile("^(?:[\\w-]+;\\s*)?[245]\\d\\d-(?!.*\\b[245]\\d\\d )");
    private static final Pattern TO = Pattern.compile("(?im)^to:\\s*(.+)$");
    private static final Pattern BOUNCE_SUBJECT = Pattern.compile("(?i)undeliver|deliver(y|ed)? (status|fail|notif)"
            + "|returned mail|failure notice|mail delivery|non[- ]?deliver|could not be delivered|delivery problem"
            + "|rejected|bounce|warning: could not send|mail system error|fehlgeschlagen|unzustellbar|erreur|error"
            + "|no se puede|nao entregue|permanent error|failed|delayed");
    private static final Pattern DAEMON_FROM = Pattern.compile("(?i)mailer-daemon|postmaster|mail delivery|"
            + "mail administrator|mail-daemon|maildaemon|bounce|delivery|<>");

    private BounceParser() {
    }

    /** Parses one message; never throws for bad content. */
    public static BounceReport parse(byte[] raw) {
        try {
            return parse(MessageParts.of(raw), 0);
        } catch (IOException | RuntimeException e) {
            return BounceReport.none("");
        }
    }

    private static BounceReport parse(MessageParts parts, int depth) {
        String originalHeaders = parts.originalHeaderText();
        String messageId = first(MESSAGE_ID, originalHeaders);
        BounceReport ses = SesNotifications.read(parts.notification.toString());
        if (ses != null) {
            return ses;
        }
        if (!parts.feedbackReport.isEmpty()) {
            return FeedbackReports.read(parts, originalHeaders, messageId);
        }
        Set<String> exclude = reportAddresses(parts);
        List<String> lines = parts.notificationLines();
        String notice = DiagnosticText.collapse(String.join("\n", lines));
        List<TextBounceScanner.Found> found = TextBounceScanner.scan(lines, exclude);
        if (!parts.deliveryStatus.isEmpty()) {
            List<BouncedRecipient> dsn = fromDeliveryStatus(parts.deliveryStatus, found, lines);
            if (!dsn.isEmpty()) {
                return new BounceReport(Kind.DSN, dsn, messageId, "", notice);
            }
        }
        if (isAutoReply(parts)) {
            String from = firstAddress(parts.header("From"));
            List<BouncedRecipient> r = from.isEmpty() ? List.of()
                    : List.of(new BouncedRecipient(from, "", "", DiagnosticText.collapse(String.join("\n", lines)),
                    "", 0));
            return new BounceReport(Kind.AUTO_REPLY, r, messageId, "", notice);
        }
        if (!looksLikeBounce(parts)) {
            return BounceReport.none(messageId);
        }
        if (found.isEmpty() && parts.attached != null && depth < 2) {
            // a bounce forwarded as an attachment: the notice around it names nobody, the attached report does
            BounceReport inner = parse(MessageParts.of(parts.attached), depth + 1);
            if (inner.kind() != Kind.NOT_A_BOUNCE && !inner.recipients().isEmpty()) {
                return inner;
            }
        }
        List<BouncedRecipient> out = new ArrayList<>();
        for (TextBounceScanner.Found f : found) {
            out.add(recipient(f.address(), "failed", "", f.text()));
        }
        if (out.isEmpty()) {
            String whole = String.join("\n", lines);
            for (String a : fallbackRecipients(parts, originalHeaders)) {
                out.add(recipient(a, "failed", "", whole));
            }
        }
        return new BounceReport(out.isEmpty() ? Kind.NOT_A_BOUNCE : Kind.TEXT_BOUNCE, out, messageId, "", notice);
    }

    private static List<BouncedRecipient> fromDeliveryStatus(String body, List<TextBounceScanner.Found> found,
                                                             List<String> lines) {
        List<BouncedRecipient> out = new ArrayList<>();
        for (Map<String, String> g : DsnFields.groups(body)) {
            String address = address(firstLine(g.get("final-recipient")));
            if (address.isEmpty()) {
                address = address(firstLine(g.get("original-recipient")));
            }
            if (address.isEmpty()) {
                continue;
            }
            String action = firstLine(g.get("action")).trim().toLowerCase(Locale.ROOT);
            String status = Reply.statusIn(firstLine(g.get("status")));
            String diagnostic = firstLine(g.get("diagnostic-code")).trim();
            String text = textAbout(address, found, lines);
            if (DsnFields.typed(diagnostic).matches("(?i)[0-9. ]*|unknown|none")) {
                diagnostic = text.isEmpty() ? String.join("\n", lines) : text;
            } else if (CUT_REPLY.matcher(diagnostic).find() && !text.isEmpty()) {
                diagnostic = diagnostic + "\n" + text; // the DSN kept the first line of a multi-line reply only
            }
            BouncedRecipient r = recipient(address, action, status, diagnostic);
            if (r.command().isEmpty() && !text.isEmpty()) {
                r = new BouncedRecipient(r.address(), r.action(), r.status(), r.diagnostic(),
                        DiagnosticText.command(text), r.replyCode());
            }
            out.add(r);
        }
        return out;
    }

    private static String textAbout(String address, List<TextBounceScanner.Found> found, List<String> lines) {
        for (TextBounceScanner.Found f : found) {
            if (f.address().equals(address)) {
                return f.text();
            }
        }
        return found.size() == 1 ? found.get(0).text() : "";
    }

    private static BouncedRecipient recipient(String address, String action, String status, String text) {
        String diagnostic = DiagnosticText.collapse(text);
        String s = status;
        String inText = Reply.statusIn(diagnostic);
        if (inText.startsWith("2") && !action.equals("delivered")) {
            inText = ""; // a transcript's "250 2.1.5 Ok" before the failure, or a version number
        }
        if (s.isEmpty() || (s.endsWith(".0.0") && !inText.isEmpty() && inText.charAt(0) == s.charAt(0))) {
            s = inText.isEmpty() ? s : inText;
        }
        return new BouncedRecipient(address, action, s, diagnostic, DiagnosticText.command(text),
                DiagnosticText.replyCode(diagnostic));
    }

    /** The address of an RFC 3464 recipient field ({@code rfc822; <a@b>}), lower case; "" when none. */
    static String address(String field) {
        if (field == null) {
            return "";
        }
        Matcher m = TextBounceScanner.ADDRESS.matcher(DsnFields.typed(field));
        return m.find() ? TextBounceScanner.clean(m.group()) : "";
    }

    private static Set<String> reportAddresses(MessageParts parts) {
        Set<String> out = new HashSet<>();
        for (String h : List.of("From", "To", "Return-Path", "Reply-To", "Sender", "Errors-To")) {
            Matcher m = TextBounceScanner.ADDRESS.matcher(parts.header(h));
            while (m.find()) {
                out.add(TextBounceScanner.clean(m.group()));
            }
        }
        return out;
    }

    private static List<String> fallbackRecipients(MessageParts parts, String originalHeaders) {
        List<String> out = new ArrayList<>();
        Matcher m = TextBounceScanner.ADDRESS.matcher(parts.header("X-Failed-Recipients"));
        while (m.find()) {
            out.add(TextBounceScanner.clean(m.group()));
        }
        if (out.isEmpty()) {
            String to = first(TO, originalHeaders);
            Matcher t = TextBounceScanner.ADDRESS.matcher(to);
            while (t.find()) {
                out.add(TextBounceScanner.clean(t.group()));
            }
        }
        return out;
    }

    private static boolean isAutoReply(MessageParts parts) {
        String auto = parts.header("Auto-Submitted").toLowerCase(Locale.ROOT);
        String subject = parts.header("Subject").toLowerCase(Locale.ROOT);
        if (DAEMON_FROM.matcher(parts.header("From")).find()) {
            return false;
        }
        return auto.startsWith("auto-replied") || subject.startsWith("auto:") || subject.contains("out of office")
                || subject.contains("automatic reply") || subject.contains("autoreply") || subject.contains("vacation")
                || !parts.header("X-Autoreply").isEmpty() || !parts.header("X-Autorespond").isEmpty();
    }

    private static boolean looksLikeBounce(MessageParts parts) {
        return DAEMON_FROM.matcher(parts.header("From")).find()
                || BOUNCE_SUBJECT.matcher(parts.header("Subject")).find()
                || !parts.header("X-Failed-Recipients").isEmpty()
                || parts.header("Return-Path").replaceAll("\\s", "").equals("<>");
    }

    private static String firstAddress(String header) {
        Matcher m = TextBounceScanner.ADDRESS.matcher(header);
        return m.find() ? TextBounceScanner.clean(m.group()) : "";
    }

    private static String firstLine(String value) {
        if (value == null) {
            return "";
        }
        int nl = value.indexOf('\n');
        return nl < 0 ? value : value.substring(0, nl);
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1).trim() : "";
    }
}
