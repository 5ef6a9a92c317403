package io.sluice.classify;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the classifier looks at: one SMTP reply, or one recipient's diagnostic out of a DSN.
 *
 * @param code    the reply code (550), 0 when there is none
 * @param status  the enhanced status code (RFC 3463, {@code 5.1.1}), "" when there is none
 * @param command the SMTP command the reply answered ({@code RCPT}, {@code DATA}, ...; EHLO reads as HELO and BDAT
 *                as DATA), {@code NONE} when unknown
 * @param text    the reply or diagnostic text, as received (the code and status may be part of it)
 * @param action  the DSN action ({@code failed}, {@code delayed}), "" for a reply seen in an SMTP session
 */
public record Reply(int code, String status, String command, String text, String action) {

    private static final Pattern LEADING_CODE = Pattern.compile(
            "^\\s*(?:smtp;\\s*)?#?([245]\\d\\d)(?:[ -]|$)", Pattern.CASE_INSENSITIVE);
    /** An enhanced status not part of a dotted quad or a version number. */
    private static final Pattern STATUS = Pattern.compile("(?<![\\d.])([245])\\.([0-7])\\.(\\d{1,3})(?![\\d.]\\d)");

    public Reply {
        status = status == null ? "" : status;
        command = command(command);
        text = text == null ? "" : text;
        action = action == null ? "" : action.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A reply from its text ({@code "550 5.1.1 <a@b>: user unknown"}, or a DSN's {@code "smtp; 550 ..."}): the
     * code is the leading three digits, the status the first enhanced code in the text.
     */
    public static Reply parse(String text, String command) {
        String t = text == null ? "" : text;
        Matcher c = LEADING_CODE.matcher(t);
        int code = c.find() ? Integer.parseInt(c.group(1)) : 0;
        return new Reply(code, statusIn(t), command, t, "");
    }

    /** The first enhanced status code in {@code text}, or "". */
    public static String statusIn(CharSequence text) {
        Matcher s = STATUS.matcher(text);
        return s.find() ? s.group(1) + "." + s.group(2) + "." + s.group(3) : "";
    }

    /** The reply class: 2, 4 or 5 from the status, else from the code; 0 when neither is known. */
    public int replyClass() {
        if (!status.isEmpty()) {
            return status.charAt(0) - '0';
        }
        return code == 0 ? 0 : code / 100;
    }

    /** The command as the rules name it; null, blank or unknown reads as NONE. */
    static String command(String raw) {
        if (raw == null || raw.isBlank()) {
            return "NONE";
        }
        String c = raw.trim().toUpperCase(Locale.ROOT);
        switch (c) {
            case "EHLO":
            case "HELO":
            case "LHLO":
                return "HELO";
            case "BDAT":
            case "DATA":
                return "DATA";
            case "CONN":
            case "CONNECT":
                return "CONNECT";
            case "MAIL":
            case "RCPT":
            case "STARTTLS":
            case "AUTH":
            case "QUIT":
                return c;
            default:
                return "NONE";
        }
    }
}
