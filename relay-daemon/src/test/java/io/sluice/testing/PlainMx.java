package io.sluice.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An MX host with a plain, older ESMTP server: it offers only {@code 8BITMIME} in its EHLO reply (no SMTPUTF8, no
 * PIPELINING, no SIZE), which SubEthaSMTP cannot be told to do. Lockstep RFC 5321: EHLO/HELO, MAIL, RCPT, DATA with
 * dot-unstuffing, RSET, NOOP, QUIT; anything else gets {@code 502}. Records every accepted message with the
 * envelope exactly as the client wrote it (the path between the angle brackets, parameters dropped).
 *
 * <p>Threading: one acceptor thread and one thread per connection (daemon threads); {@link #messages()} from any
 * thread. Limits: loopback only, lines up to 64 KiB, no TLS, no AUTH.
 */
public final class PlainMx implements AutoCloseable {
    /** One accepted message: envelope as sent (UTF-8 decoded) and the unstuffed text. */
    public record Received(String sender, List<String> recipients, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket socket;
    private final List<Received> messages = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private PlainMx(String address, int port) throws IOException {
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), port), 50);
        acceptor = new Thread(this::acceptLoop, "plain-mx-" + address);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static PlainMx start(String address, int port) throws IOException {
        return new PlainMx(address, port);
    }

    /** Messages accepted (answered 250 at the dot), in order. */
    public List<Received> messages() {
        return messages;
    }

    /** Every command line received, across connections, in arrival order. */
    public List<String> commands() {
        return commands;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> serve(s), "plain-mx-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream());
             OutputStream out = s.getOutputStream()) {
            reply(out, "220 plain.mx.test ESMTP");
            String sender = null;
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, "250-plain.mx.test\r\n250 8BITMIME");
                    case "HELO" -> reply(out, "250 plain.mx.test");
                    case "MAIL" -> {
                        sender = path(line);
                        recipients.clear();
                        reply(out, "250 2.1.0 Ok");
                    }
                    case "RCPT" -> {
                        recipients.add(path(line));
                        reply(out, "250 2.1.5 Ok");
                    }
                    case "DATA" -> {
                        if (sender == null || recipients.isEmpty()) {
                            reply(out, "503 5.5.1 Error: need RCPT command");
                            continue;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        byte[] text = readText(in);
                        if (text == null) {
                            return;
                        }
                        messages.add(new Received(sender, List.copyOf(recipients), text));
                        sender = null;
                        recipients.clear();
                        reply(out, "250 2.0.0 Ok: queued");
                    }
                    case "RSET" -> {
                        sender = null;
                        recipients.clear();
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String path(String line) {
        int open = line.indexOf('<');
        int close = line.lastIndexOf('>');
        return open >= 0 && close > open ? line.substring(open + 1, close) : "";
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One CRLF-terminated line as UTF-8 without the CRLF; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        byte[] raw = readRawLine(in);
        return raw == null ? null : new String(raw, 0, raw.length - 2, StandardCharsets.UTF_8);
    }

    /** One line including its CRLF; null at end of stream or past 64 KiB. */
    private static byte[] readRawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (previous == '\r' && b == '\n') {
                return line.toByteArray();
            }
            if (line.size() > 65_536) {
                return null;
            }
            previous = b;
        }
        return null;
    }

    /** The message text up to the lone dot, dot-unstuffed; null when the stream ends first. */
    private static byte[] readText(InputStream in) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream(4096);
        byte[] line;
        while ((line = readRawLine(in)) != null) {
            if (line.length == 3 && line[0] == '.') {
                return text.toByteArray();
            }
            int skip = line[0] == '.' ? 1 : 0;
            text.write(line, skip, line.length - skip);
        }
        return null;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        acceptor.join(2000);
    }
}
