package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SmtpClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plays one {@link SessionScript} over a real loopback connection and checks every reply against a
 * {@link SessionReferenceModel}: one complete reply per command line, within {@link #REPLY_TIMEOUT_MILLIS}, in order.
 *
 * <p>Writes: the steps marked pipelined go out in one write with the next step, except that a write ends after a
 * DATA line (RFC 2920: DATA is the last command of a group), so the message text never races its 354. After a 354
 * the step's message text (or a small default one when a raw line turned out to be DATA) is sent with its final dot.
 * After a 221 or 421 the server must close the connection and nothing more is sent; otherwise the session ends with
 * QUIT (after {@code *} cancelling an AUTH exchange left open), which must be answered 221 and closed, so a stray
 * extra reply anywhere before shows up as a misaligned reply.
 *
 * <p>Limits: only loopback; one connection per script; reads with a timeout, so a hang costs that much and fails.
 */
final class ScriptedSession {
    static final int REPLY_TIMEOUT_MILLIS = 5000;
    private static final byte[] DEFAULT_TEXT = "Subject: raw DATA\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SmtpClient client;
    private final SessionReferenceModel model;
    private final List<String> queuedIds = new ArrayList<>();
    private final ByteArrayOutputStream write = new ByteArrayOutputStream();
    /** Lines written and not yet answered, with the message text each would send after a 354. */
    private final List<byte[][]> unanswered = new ArrayList<>();
    private boolean closed;

    private ScriptedSession(SmtpClient client, String hostname) {
        this.client = client;
        this.model = new SessionReferenceModel(hostname);
    }

    /** Runs {@code steps} on a new connection to {@code port}; returns the ids of the messages answered queued. */
    static List<String> play(int port, String hostname, List<SessionScript.Step> steps) throws IOException {
        try (SmtpClient client = new SmtpClient("127.0.0.1", port)) {
            client.socket().setSoTimeout(REPLY_TIMEOUT_MILLIS);
            ScriptedSession session = new ScriptedSession(client, hostname);
            session.run(steps);
            return session.queuedIds;
        }
    }

    private void run(List<SessionScript.Step> steps) throws IOException {
        model.greeting(read("greeting"));
        for (SessionScript.Step step : steps) {
            queueLines(step.command(), step.messageText());
            if (!step.pipelinedWithNext()) {
                flushAndAnswer();
            }
            if (closed) {
                return;
            }
        }
        flushAndAnswer();
        if (closed) {
            return;
        }
        if (model.awaitingAuthResponse()) {
            queueLines("*\r\n".getBytes(StandardCharsets.US_ASCII), null);
            flushAndAnswer();
        }
        if (!closed) {
            queueLines("QUIT\r\n".getBytes(StandardCharsets.US_ASCII), null);
            flushAndAnswer();
        }
        assertThat(closed).as("the closing QUIT was answered 221").isTrue();
    }

    /** Splits {@code command} at each LF; a DATA line ends the write it is in. */
    private void queueLines(byte[] command, byte[] messageText) throws IOException {
        int start = 0;
        for (int i = 0; i < command.length && !closed; i++) {
            if (command[i] != '\n') {
                continue;
            }
            byte[] line = Arrays.copyOfRange(command, start, i + 1);
            start = i + 1;
            write.writeBytes(line);
            unanswered.add(new byte[][] {line, messageText != null ? messageText : DEFAULT_TEXT});
            if (SessionReferenceModel.verb(line).equals("DATA")) {
                flushAndAnswer();
            }
        }
    }

    private void flushAndAnswer() throws IOException {
        if (write.size() > 0 && !closed) {
            client.send(write.toByteArray());
        }
        write.reset();
        for (byte[][] pending : unanswered) {
            if (closed) {
                break;
            }
            byte[] line = pending[0];
            String reply = read(SessionReferenceModel.printable(line));
            if (model.reply(line, reply)) {
                expectClose(reply);
            } else if (reply.startsWith("354")) {
                client.send(SessionScript.withTerminator(pending[1]));
                String id = model.endOfData(read("the final dot"));
                if (id != null) {
                    queuedIds.add(id);
                }
            }
        }
        unanswered.clear();
    }

    private void expectClose(String finalReply) throws IOException {
        closed = true;
        try {
            assertThat(client.isClosedByServer()).as("connection closed after %s", finalReply).isTrue();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open " + REPLY_TIMEOUT_MILLIS + " ms after " + finalReply, e);
        }
    }

    private String read(String awaited) throws IOException {
        try {
            return client.reply();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no complete reply within " + REPLY_TIMEOUT_MILLIS + " ms to " + awaited, e);
        }
    }
}
