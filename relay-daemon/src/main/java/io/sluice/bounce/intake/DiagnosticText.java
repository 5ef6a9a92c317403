package io.sluice.bounce.intake;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a bounce says about one recipient: the text with white space collapsed and the continuation prefixes
 * of a multi-line SMTP reply ({@code 550-5.7.26 }) dropped, the reply code in it, and which SMTP command failed
 * ("in reply to RCPT TO command", "after end of data", "did not like our final DATA", a transcript's
 * {@code >>> RCPT To:}). Stateless.
 */
final class DiagnosticText {
    private static final Pattern CONTINUATION = Pattern.compile(
            "(?m)^[ \\t]*(?:<<<[ \\t]*)?[245]\\d\\d-(?:[245]\\.\\d{1,3}\\.\\d{1,3}[ \\t])?");
    private static final Pattern CODE_AND_STATUS = Pattern.compile("\\b([245]\\d\\d)[ -]([245]\\.\\d\\.\\d{1,3})\\b");
    private static final Pattern CODE = Pattern.compile(
            "(?<![\\w.:/#=-])([45][0-5]\\d)(?=[ -]+(?:[45]\\.\\d|[A-Za-z<\"'(\\[]))");
    private static final Pattern COMMAND = Pattern.compile("(?i)(?:\\bin reply to|\\bafter|\\bour|>>>|\\[|\\bsmtp:"
            + "|\\bmost progress was|\\bdoes not like|\\bdidn't like our)\\s*"
            + "(?:the\\s+|final\\s+|end of\\s+|initial\\s+)?(rcpt(?:[ _]to)?|recipient|mail(?:[ _]from)?|data|helo"
            + "|ehlo|lhlo|connection|starttls|auth|bdat)\\b");

    private DiagnosticText() {
    }

    /** White space collapsed; the code and status a multi-line reply repeats on every line kept once. */
    static String collapse(String text) {
        String t = CONTINUATION.matcher(text).replaceAll("").replaceAll("\\s+", " ").trim();
        Matcher first = CODE_AND_STATUS.matcher(t);
        if (!first.find()) {
            return t;
        }
        // a DSN's Diagnostic-Code folds a multi-line reply onto one line: "550-5.7.1 a 550-5.7.1 b 550 5.7.1 c"
        Pattern repeat = Pattern.compile(" " + first.group(1) + "[ -]" + Pattern.quote(first.group(2)) + " ");
        return t.substring(0, first.end()) + repeat.matcher(t.substring(first.end())).replaceAll(" ");
    }

    /** The first SMTP reply code in the text, 0 when none. */
    static int replyCode(String text) {
        Matcher m = CODE.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The SMTP command the text says failed (RCPT, MAIL, DATA, HELO, CONNECT, ...), "" when it does not say. */
    static String command(String text) {
        Matcher m = COMMAND.matcher(text);
        if (!m.find()) {
            return "";
        }
        String c = m.group(1).toLowerCase(Locale.ROOT);
        if (c.startsWith("rcpt") || c.equals("recipient")) {
            return "RCPT";
        }
        if (c.startsWith("mail")) {
            return "MAIL";
        }
        switch (c) {
            case "data":
            case "bdat":
                return "DATA";
            case "connection":
                return "CONNECT";
            case "starttls":
                return "STARTTLS";
            case "auth":
                return "AUTH";
            default:
                return "HELO";
        }
    }
}
