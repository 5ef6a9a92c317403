package io.sluice.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real SMTP server for tests, on a loopback ephemeral port: plain blocking sockets, one thread per
 * connection. Speaks EHLO/HELO (optionally offering PIPELINING), MAIL, RCPT, DATA (un-stuffing per RFC 5321
 * 4.5.2, ending only at a line that is exactly "."), RSET, NOOP, QUIT, with Postfix-like 503s out of sequence.
 *
 * <p>It records every stored message, counts commands, and notices pipelining: when a MAIL line is read, input
 * already waiting behind it (before the sink has replied) can only be there because the client pipelined. It can
 * answer 452 to every n-th MAIL, 554 to every n-th final dot, and delay final replies. Threading: counters are
 * atomic; {@link #close()} stops the accept loop and every connection.
 */
final class SmtpTestSink implements AutoCloseable {

    private final boolean offerPipelining;
    private final int rejectMailEvery;
    private final int rejectDotEvery;
    private final long dotReplyDelayMs;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    final ConcurrentLinkedQueue<byte[]> stored = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> recipients = new ConcurrentLinkedQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger mailCommands = new AtomicInteger();
    final AtomicInteger pipelinedMails = new AtomicInteger();
    final AtomicInteger rejectedMails = new AtomicInteger();
    final AtomicInteger rejectedDots = new AtomicInteger();
    private final AtomicInteger dots = new AtomicInteger();
    final AtomicInteger maxMessagesPerConnection = new AtomicInteger();

    private SmtpTestSink(boolean offerPipelining, int rejectMailEvery, int rejectDotEvery, long dotReplyDelayMs)
            throws IOException {
        this.offerPipelining = offerPipelining;
        this.rejectMailEvery = rejectMailEvery;
        this.rejectDotEvery = rejectDotEvery;
        this.dotReplyDelayMs = dotReplyDelayMs;
        this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static Builder builder() {
        return new Builder();
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return messages the sink answered 250 to after the final dot */
    int accepted() {
        return stored.size();
    }

    List<byte[]> storedMessages() {
        return Collections.unmodifiableList(new ArrayList<>(stored));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                connections.incrementAndGet();
                Thread t = new Thread(() -> session(socket), "sink-session");
                t.setDaemon(true);
                threads.add(t);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            reply(out, "220 sink.test ESMTP test sink");
            out.flush();
            boolean mail = false;
            int rcpts = 0;
            int messagesHere = 0;
            while (true) {
                if (in.available() == 0) {
                    out.flush(); // like Postfix: answer a pipelined batch in one write once its input is consumed
                }
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, offerPipelining
                            ? "250-sink.test\r\n250-SIZE 104857600\r\n250-PIPELINING\r\n250 8BITMIME"
                            : "250-sink.test\r\n250-SIZE 104857600\r\n250 8BITMIME");
                    case "HELO" -> reply(out, "250 sink.test");
                    case "MAIL" -> {
                        int n = mailCommands.incrementAndGet();
                        if (in.available() > 0) {
                            pipelinedMails.incrementAndGet();
                        }
                        if (mail) {
                            reply(out, "503 5.5.1 Error: nested MAIL command");
                        } else if (rejectMailEvery > 0 && n % rejectMailEvery == 0) {
                            rejectedMails.incrementAndGet();
                            reply(out, "452 4.3.1 Insufficient system storage");
                        } else {
                            mail = true;
                            rcpts = 0;
                            reply(out, "250 2.1.0 Ok");
                        }
                    }
                    case "RCPT" -> {
                        if (!mail) {
                            reply(out, "503 5.5.1 Error: need MAIL command");
                        } else {
                            rcpts++;
                            recipients.add(line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')));
                            reply(out, "250 2.1.5 Ok");
                        }
                    }
                    case "DATA" -> {
                        if (!mail || rcpts == 0) {
                            reply(out, "503 5.5.1 Error: need RCPT command");
                            break;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        out.flush();
                        byte[] message = readData(in);
                        if (message == null) {
                            return;
                        }
                        mail = false;
                        if (dotReplyDelayMs > 0) {
                            Thread.sleep(dotReplyDelayMs);
                        }
                        if (rejectDotEvery > 0 && dots.incrementAndGet() % rejectDotEvery == 0) {
                            rejectedDots.incrementAndGet();
                            reply(out, "554 5.7.1 Rejected by test sink");
                        } else {
                            stored.add(message);
                            messagesHere++;
                            maxMessagesPerConnection.accumulateAndGet(messagesHere, Math::max);
                            reply(out, "250 2.0.0 Ok: queued");
                        }
                    }
                    case "RSET" -> {
                        mail = false;
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        out.flush();
                        return;
                    }
                    default -> reply(out, "500 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException | InterruptedException e) {
            // connection closed or sink closing
        }
    }

    /** Reads message text up to the line ".", un-stuffing; returns null on EOF. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readRawLine(in);
            if (line == null) {
                return null;
            }
            if (line.length == 3 && line[0] == '.') {
                return message.toByteArray();
            }
            int skip = line[0] == '.' ? 1 : 0;
            message.write(line, skip, line.length - skip);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        byte[] raw = readRawLine(in);
        return raw == null ? null : new String(raw, 0, raw.length - 2, StandardCharsets.US_ASCII);
    }

    /** @return one line including its CRLF; a bare LF is a protocol error here */
    private static byte[] readRawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(100);
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            line.write(b);
            if (b == '\n') {
                if (previous != '\r') {
                    throw new IOException("bare LF from client");
                }
                return line.toByteArray();
            }
            previous = b;
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        try {
            acceptor.join(2000);
            for (Thread t : threads) {
                t.interrupt();
                t.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class Builder {
        private boolean offerPipelining = true;
        private int rejectMailEvery;
        private int rejectDotEvery;
        private long dotReplyDelayMs;

        Builder offerPipelining(boolean v) { offerPipelining = v; return this; }
        Builder rejectMailEvery(int n) { rejectMailEvery = n; return this; }
        Builder rejectDotEvery(int n) { rejectDotEvery = n; return this; }
        Builder dotReplyDelayMs(long ms) { dotReplyDelayMs = ms; return this; }

        SmtpTestSink start() throws IOException {
            return new SmtpTestSink(offerPipelining, rejectMailEvery, rejectDotEvery, dotReplyDelayMs);
        }
    }
}
