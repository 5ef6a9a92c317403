package io.sluice.bench.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A local mail catcher for people trying Sluice: an SMTP server (SubEthaSMTP: EHLO with 8BITMIME, SMTPUTF8,
 * PIPELINING) on a loopback address that accepts every message and writes it to {@code DIR/<n>.eml}, the bytes
 * exactly as received after dot-unstuffing, and prints one line per message (time, file, envelope sender and
 * recipients, size) to the given stream. Nothing is relayed anywhere.
 *
 * <p>Limits: loopback only (the caller checks); files are numbered from 1 upward after the highest already in the
 * directory, so a restart never overwrites. Thread-safe (SubEthaSMTP runs a thread per session).
 */
public final class CaptureSink implements AutoCloseable {
    private final SMTPServer server;
    private final Path dir;
    private final PrintStream out;
    private final AtomicLong next;

    private CaptureSink(InetAddress address, int port, Path dir, PrintStream out) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.out = out;
        this.next = new AtomicLong(highestNumber(this.dir));
        this.server = new SMTPServer.Builder()
                .bindAddress(address)
                .port(port)
                .hostName("sink.sluice.test")
                .insertReceivedHeaders(false)
                .messageHandlerFactory(this::handler)
                .build();
        server.start();
    }

    /** Starts the sink on {@code address:port} (port 0: any free one, see {@link #port}), writing into {@code dir}. */
    public static CaptureSink start(InetAddress address, int port, Path dir, PrintStream out) throws IOException {
        return new CaptureSink(address, port, dir, out);
    }

    /** The port it listens on. */
    public int port() {
        return server.getPortAllocated();
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            private String sender = "";
            private final List<String> recipients = new ArrayList<>();

            @Override
            public void from(String from) {
                sender = from;
            }

            @Override
            public void recipient(String recipient) {
                recipients.add(recipient);
            }

            @Override
            public String data(InputStream data) throws IOException {
                byte[] bytes = data.readAllBytes();
                Path file = dir.resolve(next.incrementAndGet() + ".eml");
                Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                synchronized (out) {
                    out.println(Instant.now() + " " + file + " from=<" + sender + "> to=<"
                            + String.join(">,<", recipients) + "> size=" + bytes.length);
                    out.flush();
                }
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    private static long highestNumber(Path dir) throws IOException {
        long highest = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".eml")) {
                    try {
                        highest = Math.max(highest, Long.parseLong(name.substring(0, name.length() - 4)));
                    } catch (NumberFormatException e) {
                        // not one of ours
                    }
                }
            }
        }
        return highest;
    }

    @Override
    public void close() {
        server.stop();
    }
}
