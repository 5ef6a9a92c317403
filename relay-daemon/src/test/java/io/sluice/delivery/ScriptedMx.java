package io.sluice.delivery;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A raw-socket SMTP server on loopback that plays one transcript per accepted connection, in order, and records
 * what the client sent. Transcript lines (postfix {@code smtpd_check.in} style, as Java text blocks):
 * <pre>
 *   S: 250 text        server line (consecutive S: lines go out in one write)
 *   C: MAIL FROM:&lt;a&gt;   expect this client line exactly; a trailing '*' matches a prefix
 *   C! DATA            as C:, then nothing more may arrive for 200 ms (proves lockstep)
 *   T:                 read message text up to the line "."; kept raw (still dot-stuffed) in texts()
 *   !tls               STARTTLS: continue inside TLS as the server (needs an SSLContext)
 *   !garbage           wait for the client's first TLS bytes, answer with bytes that are no TLS record, close
 *   !sleep 1500        stay silent
 *   !close             close the connection
 * </pre>
 * After the last line the session answers QUIT with 221 and records any other line as an error. Because the
 * server reads every C: line of a pipelined group before it writes a reply, a client that waits for replies
 * instead of pipelining stalls and its test fails.
 */
final class ScriptedMx implements AutoCloseable {
    private final ServerSocket server;
    private final SSLContext tls;
    private final List<String> scripts;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private ScriptedMx(String host, SSLContext tls, List<String> scripts) throws IOException {
        this.server = new ServerSocket(0, 10, InetAddress.getByName(host));
        this.tls = tls;
        this.scripts = scripts;
        this.acceptor = new Thread(this::acceptLoop, "scripted-mx-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ScriptedMx start(String host, String... scripts) throws IOException {
        return new ScriptedMx(host, null, List.of(scripts));
    }

    static ScriptedMx startTls(String host, SSLContext tls, String... scripts) throws IOException {
        return new ScriptedMx(host, tls, List.of(scripts));
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    int connections() {
        return sessions.size();
    }

    Session session(int i) {
        return sessions.get(i);
    }

    /** Waits until every script has been played to its end and the client went away; fails on any mismatch. */
    void assertPlayed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sessions.size() < scripts.size() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (sessions.size() != scripts.size()) {
            throw new AssertionError("expected " + scripts.size() + " connections, got " + sessions.size());
        }
        for (Session s : sessions) {
            if (!s.done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("session " + s.index + " still running; transcript so far: " + s.log);
            }
            if (!s.errors.isEmpty()) {
                throw new AssertionError("session " + s.index + ": " + s.errors + "; transcript: " + s.log);
            }
        }
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket socket = server.accept();
                int index = sessions.size();
                String script = index < scripts.size() ? scripts.get(index) : "!close";
                Session session = new Session(index, socket, script);
                sessions.add(session);
                Thread t = new Thread(session::run, "scripted-mx-session-" + index);
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // close() ends the loop.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Session s : sessions) {
            s.socket.close();
        }
    }

    /** One accepted connection playing its script. */
    final class Session {
        final int index;
        final InetSocketAddress remote;
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final List<byte[]> texts = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        private final String script;
        private volatile Socket socket;
        private InputStream in;
        private OutputStream out;

        Session(int index, Socket socket, String script) {
            this.index = index;
            this.socket = socket;
            this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            this.script = script;
        }

        /** Client lines received, in order. */
        List<String> clientLines() {
            List<String> lines = new ArrayList<>();
            for (String l : log) {
                if (l.startsWith("C: ")) {
                    lines.add(l.substring(3));
                }
            }
            return lines;
        }

        private void run() {
            try {
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
                socket.setSoTimeout(10_000);
                if (play() && !socket.isClosed()) {
                    drain();
                }
            } catch (IOException e) {
                errors.add("I/O: " + e);
            } finally {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
                done.countDown();
            }
        }

        /** Plays the script; false when it ended the connection itself or failed. */
        private boolean play() throws IOException {
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            for (String raw : script.strip().split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("S: ")) {
                    log.add(line);
                    pending.write((line.substring(3) + "\r\n").getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                out.write(pending.toByteArray());
                out.flush();
                pending.reset();
                if (line.startsWith("C: ") || line.startsWith("C! ")) {
                    String expected = line.substring(3);
                    String got = readLine();
                    if (got == null) {
                        errors.add("connection closed, expected " + expected);
                        return false;
                    }
                    boolean match = expected.endsWith("*")
                            ? got.startsWith(expected.substring(0, expected.length() - 1)) : got.equals(expected);
                    if (!match) {
                        errors.add("expected '" + expected + "' got '" + got + "'");
                        return false;
                    }
                    if (line.startsWith("C! ") && nothingMoreWithin(200)) {
                        errors.add("client sent more after '" + got + "' without waiting for the reply");
                        return false;
                    }
                } else if (line.equals("T:")) {
                    texts.add(readText());
                } else if (line.equals("!tls")) {
                    startTls();
                } else if (line.equals("!garbage")) {
                    // Only after the ClientHello: earlier bytes would be read as injected after the 220.
                    in.read();
                    out.write("this is not a TLS record\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.close();
                    return false;
                } else if (line.startsWith("!sleep ")) {
                    sleep(Long.parseLong(line.substring(7).strip()));
                } else if (line.equals("!close")) {
                    socket.close();
                    return false;
                } else {
                    throw new IllegalArgumentException("bad transcript line: " + line);
                }
            }
            out.write(pending.toByteArray());
            out.flush();
            return true;
        }

        /** After the script: QUIT gets 221, anything else is an error; ends at EOF. */
        private void drain() throws IOException {
            String line;
            while ((line = readLine()) != null) {
                if (line.equals("QUIT")) {
                    out.write("221 2.0.0 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                }
                errors.add("unexpected after the script: " + line);
                out.write("500 5.5.1 not in the script\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }

        /** True when a byte arrives within {@code millis}. */
        private boolean nothingMoreWithin(long millis) throws IOException {
            sleep(millis);
            return in.available() > 0;
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            try {
                while ((b = in.read()) >= 0) {
                    if (b == '\n') {
                        byte[] bytes = line.toByteArray();
                        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1
                                : bytes.length;
                        String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
                        log.add("C: " + s);
                        return s;
                    }
                    line.write(b);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                return null;
            }
            return null;
        }

        /** Message text as on the wire, up to (not including) the line ".". */
        private byte[] readText() throws IOException {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    byte[] l = line.toByteArray();
                    line.reset();
                    if (l.length == 3 && l[0] == '.' && l[1] == '\r') {
                        log.add("T: " + text.size() + " bytes");
                        return text.toByteArray();
                    }
                    text.write(l);
                }
            }
            errors.add("connection closed inside the message text");
            return text.toByteArray();
        }

        private void startTls() throws IOException {
            if (tls == null) {
                throw new IllegalStateException("no SSLContext for !tls");
            }
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            s.setUseClientMode(false);
            s.startHandshake();
            socket = s;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
            log.add("!tls");
        }

        private void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
