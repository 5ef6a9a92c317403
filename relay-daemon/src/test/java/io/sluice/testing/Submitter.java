package io.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Submits test messages over one SMTP connection to the daemon (EHLO on open; each transaction pipelined as
 * MAIL, RCPT, DATA, then the text). Every message carries {@code Message-ID: <messageId>} so sinks can count it,
 * plus a dot-stuffed line and 8-bit text, so exact bytes must survive both directions.
 *
 * <p>Failure modes: any reply other than the expected 250/354 throws {@link IllegalStateException} with the
 * reply. Not thread-safe: one submitter per client thread.
 */
public final class Submitter implements AutoCloseable {
    private static final String QUEUED = "250 2.0.0 Ok: queued as ";
    private final SmtpClient client;

    public Submitter(String host, int port) throws IOException {
        client = new SmtpClient(host, port);
        expect(client.reply(), "220");
        expect(client.command("EHLO client.test"), "250");
    }

    /** The test text of a message: headers, a dot line (stuffed on the wire), an empty line and 8-bit text. */
    public static String text(String messageId, String subject) {
        return "From: sender@client.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + messageId + ">\r\n\r\n"
                + ".dot line\r\n\r\ncaf\u00e9 " + subject + "\r\n";
    }

    /** Submits {@link #text} to {@code recipients}; returns the queue id from the 250 reply. */
    public String submit(String messageId, String... recipients) throws IOException {
        StringBuilder envelope = new StringBuilder("MAIL FROM:<sender@client.test>\r\n");
        for (String r : recipients) {
            envelope.append("RCPT TO:<").append(r).append(">\r\n");
        }
        envelope.append("DATA\r\n");
        client.send(envelope.toString());
        List<String> replies = client.replies(recipients.length + 2);
        for (int i = 0; i < replies.size() - 1; i++) {
            expect(replies.get(i), "250");
        }
        expect(replies.get(replies.size() - 1), "354");
        String stuffed = text(messageId, messageId).replace("\r\n.", "\r\n..");
        client.send((stuffed.startsWith(".") ? "." + stuffed : stuffed) + ".\r\n");
        String reply = client.reply();
        expect(reply, QUEUED);
        return reply.substring(QUEUED.length()).trim();
    }

    /**
     * One pipelined transaction on {@code c} (after EHLO) from {@code app@client.test} to {@code id@domain}, with
     * {@code Message-ID: <id@client.test>} and, unless null, an {@code X-Sluice-Stream} header (a route input).
     */
    public static void submitTagged(SmtpClient c, String id, String domain, String stream) throws IOException {
        c.send("MAIL FROM:<app@client.test>\r\nRCPT TO:<" + id + "@" + domain + ">\r\nDATA\r\n");
        for (String r : c.replies(3)) {
            if (!r.startsWith("250") && !r.startsWith("354")) {
                throw new IllegalStateException("expected 250 or 354 but got " + r);
            }
        }
        c.send((stream == null ? "" : "X-Sluice-Stream: " + stream + "\r\n") + "Message-ID: <" + id
                + "@client.test>\r\nSubject: " + id + "\r\n\r\nbody\r\n.\r\n");
        expect(c.reply(), QUEUED);
    }

    /** The bytes the text of {@code messageId} has on the wire before stuffing, for comparisons. */
    public static byte[] textBytes(String messageId) {
        return text(messageId, messageId).getBytes(StandardCharsets.UTF_8);
    }

    private static void expect(String reply, String prefix) {
        if (reply == null || !reply.startsWith(prefix)) {
            throw new IllegalStateException("expected " + prefix + "... but got " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            client.command("QUIT");
        } finally {
            client.close();
        }
    }
}
