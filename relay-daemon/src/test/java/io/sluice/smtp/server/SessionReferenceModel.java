package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's reference model of one SMTP session (RFC 5321 command sequencing), fed each line sent and the reply
 * it got, in order; it fails (AssertJ) when a reply is malformed or impossible in the model's state.
 *
 * <p>Checked for every reply: each line is a 3-digit code 200-599 and a separator ({@code -} on all lines but the
 * last), all lines carry the same code; every line of a 2xx/4xx/5xx reply carries an RFC 3463 enhanced status code
 * whose class digit equals the code's first digit, except the 220 greeting and the EHLO/HELO 250.
 *
 * <p>State model: a transaction starts with a MAIL answered 250 after an EHLO/HELO answered 250; it ends at a RSET
 * or EHLO/HELO answered 250 and at any reply to the final dot of a message. RCPT is answered 250 only inside one;
 * DATA 354 only after a RCPT answered 250 in it; a second MAIL inside one is not answered 250; {@code queued as} only
 * answers a final dot; QUIT is answered 221 and 221 answers nothing else; a 334 makes the next line an AUTH
 * response, which is not a command. Limits: it states what may not happen, not what must (a refused MAIL is fine);
 * commands are classified by their verb as the server's decoder does (up to the first space, ASCII case-insensitive).
 */
final class SessionReferenceModel {
    private static final Pattern REPLY_LINE = Pattern.compile("([2-5])(\\d\\d)([ -])(.*)", Pattern.DOTALL);
    private static final Pattern ENHANCED = Pattern.compile("([245])\\.\\d{1,3}\\.\\d{1,3}( .*)?", Pattern.DOTALL);
    static final Pattern QUEUED = Pattern.compile("250 2\\.0\\.0 Ok: queued as ([0-9a-f]{16})");

    private final String hostname;
    private boolean greeted;
    private boolean inTransaction;
    private boolean recipientAccepted;
    private boolean awaitingAuthResponse;

    SessionReferenceModel(String hostname) {
        this.hostname = hostname;
    }

    /** The reply to a new connection. */
    void greeting(String reply) {
        assertThat(reply).as("greeting").isNotNull().startsWith("220 " + hostname + " ");
        wellFormed(reply, true);
    }

    /**
     * The reply to one command line (bytes as sent, up to and including its LF). Returns true when the reply ends
     * the session (221 or 421): the server closes the connection after it.
     */
    boolean reply(byte[] line, String reply) {
        String sent = printable(line);
        assertThat(reply).as("reply to %s (none is a hang or an early close)", sent).isNotNull();
        String verb = awaitingAuthResponse ? "(AUTH response)" : verb(line);
        boolean helloReply = reply.startsWith("250 " + hostname) || reply.startsWith("250-" + hostname);
        wellFormed(reply, helloReply);
        String code = reply.substring(0, 3);
        awaitingAuthResponse = code.equals("334");
        assertThat(QUEUED.matcher(reply).matches()).as("queued as, answering %s", sent).isFalse();
        if (code.equals("221") || verb.equals("QUIT")) {
            assertThat(reply).as("QUIT and 221 go together (sent %s)", sent).startsWith("221 ");
            assertThat(verb).as("221 answers QUIT only").isEqualTo("QUIT");
            return true;
        }
        if (code.equals("421")) {
            return true;
        }
        assertThat(code).as("no TLS is configured: 220 answers nothing but the connection (sent %s)", sent)
                .isNotEqualTo("220");
        if (helloReply) {
            assertThat(verb).as("hostname 250 answers EHLO/HELO only (sent %s)", sent).isIn("EHLO", "HELO");
            greeted = true;
            endTransaction();
        } else if (reply.startsWith("250 2.1.0")) {
            assertThat(verb).as("250 2.1.0 answers MAIL only (sent %s)", sent).isEqualTo("MAIL");
        } else if (reply.startsWith("250 2.1.5")) {
            assertThat(verb).as("250 2.1.5 answers RCPT only (sent %s)", sent).isEqualTo("RCPT");
        } else if (code.equals("354")) {
            assertThat(verb).as("354 answers DATA only (sent %s)", sent).isEqualTo("DATA");
        }
        switch (verb) {
            case "MAIL" -> {
                if (code.startsWith("2")) {
                    assertThat(greeted).as("MAIL answered %s before EHLO/HELO", reply).isTrue();
                    assertThat(inTransaction).as("second MAIL in one transaction answered %s", reply).isFalse();
                    inTransaction = true;
                }
            }
            case "RCPT" -> {
                if (code.startsWith("2")) {
                    assertThat(inTransaction).as("RCPT answered %s without MAIL", reply).isTrue();
                    recipientAccepted = true;
                }
            }
            case "DATA" -> {
                if (!code.startsWith("4") && !code.startsWith("5")) {
                    assertThat(code).as("DATA answered %s", reply).isEqualTo("354");
                    assertThat(recipientAccepted).as("DATA answered 354 without an accepted RCPT").isTrue();
                }
            }
            case "RSET" -> {
                if (code.startsWith("2")) {
                    endTransaction();
                }
            }
            default -> {
            }
        }
        return false;
    }

    /** The reply to the final dot of a message (after a 354). Returns the queue id, or null for a refusal. */
    String endOfData(String reply) {
        assertThat(reply).as("reply to the final dot (none is a hang or an early close)").isNotNull();
        wellFormed(reply, false);
        endTransaction();
        Matcher queued = QUEUED.matcher(reply);
        if (queued.matches()) {
            return queued.group(1);
        }
        assertThat(reply).as("a message is queued or refused").matches("[45].*");
        return null;
    }

    boolean awaitingAuthResponse() {
        return awaitingAuthResponse;
    }

    private void endTransaction() {
        inTransaction = false;
        recipientAccepted = false;
    }

    private static void wellFormed(String reply, boolean exemptFromEnhancedCode) {
        String[] lines = reply.split("\n", -1);
        String code = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean last = i == lines.length - 1;
            Matcher m = REPLY_LINE.matcher(line);
            if (!m.matches() && !(last && line.matches("[2-5]\\d\\d"))) {
                fail("malformed reply line %s in %s", line, reply);
            }
            String lineCode = line.substring(0, 3);
            if (code == null) {
                code = lineCode;
            }
            assertThat(lineCode).as("one code in the reply %s", reply).isEqualTo(code);
            if (line.length() > 3) {
                assertThat(line.charAt(3)).as("separator in %s", reply).isEqualTo(last ? ' ' : '-');
            }
            char kind = code.charAt(0);
            if (exemptFromEnhancedCode || kind == '3') {
                continue;
            }
            String text = line.length() > 4 ? line.substring(4) : "";
            Matcher enhanced = ENHANCED.matcher(text);
            assertThat(enhanced.matches()).as("enhanced status code in %s", reply).isTrue();
            assertThat(enhanced.group(1).charAt(0)).as("enhanced code class in %s", reply).isEqualTo(kind);
        }
    }

    /** The verb as the server's decoder reads it; "" for a line it refuses before looking at the verb. */
    static String verb(byte[] line) {
        int end = line.length;
        if (end < 2 || line[end - 1] != '\n' || line[end - 2] != '\r') {
            return "";
        }
        end -= 2;
        for (int i = 0; i < end; i++) {
            if (line[i] == '\r' || line[i] == 0) {
                return "";
            }
        }
        StringBuilder verb = new StringBuilder();
        for (int i = 0; i < end && line[i] != ' '; i++) {
            char c = (char) (line[i] & 0xff);
            verb.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return verb.toString();
    }

    static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        int shown = Math.min(bytes.length, 200);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\r') {
                sb.append("\\r");
            } else if (b == '\n') {
                sb.append("\\n");
            } else if (b < 0x20 || b >= 0x7f) {
                sb.append(String.format("\\x%02x", b));
            } else {
                sb.append((char) b);
            }
        }
        return sb.append(bytes.length > shown ? "\"... (" + bytes.length + " octets)" : "\"").toString();
    }
}
