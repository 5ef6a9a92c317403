package io.sluice.bench.sink;

import io.sluice.util.Gcra;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * A local mail catcher for people trying Sluice: an SMTP server (SubEthaSMTP: EHLO with 8BITMIME, SMTPUTF8,
 * PIPELINING) on a loopback address that accepts every message and writes it to {@code DIR/<n>.eml}, the bytes
 * exactly as received after dot-unstuffing, and prints one line per message (time, file, envelope sender and
 * recipients, size) to the given stream. Nothing is relayed anywhere.
 *
 * <p>Strict mode ({@link SinkPolicy}, {@code --policy FILE}): the sink behaves like a provider that enforces its
 * limits: a session beyond {@code connections} is greeted with the provider's "too many connections" reply and
 * closed, a MAIL beyond {@code message_rate} gets its rate reply (Gmail's {@code 421 4.7.28}, Yahoo's {@code [TSS04]},
 * Microsoft's {@code S843}), and shares of recipients get its temporary or permanent failure. It counts what it saw
 * ({@link #mostConnections}, {@link #refusedConnections}, {@link #rateLimited}, {@link #accepted}, ...) and prints a
 * line per refusal, so a test or a benchmark can tell whether the sender kept to the limits.
 *
 * <p>Limits: loopback only (the caller checks); files are numbered from 1 upward after the highest already in the
 * directory, so a restart never overwrites. Thread-safe (SubEthaSMTP runs a thread per session).
 */
public final class CaptureSink implements AutoCloseable {
    private final SMTPServer server;
    private final Path dir;
    private final PrintStream out;
    private final AtomicLong next;
    private final SinkPolicy policy;
    private final Gcra rate;
    private final java.util.Random random;
    private final java.util.Set<Session> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostActive = new AtomicInteger();
    private final AtomicLong refusedConnections = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong tempfailed = new AtomicLong();
    private final AtomicLong permfailed = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();

    private CaptureSink(InetAddress address, int port, Path dir, PrintStream out, SinkPolicy policy)
            throws IOException {
        this.dir = Files.createDirectories(dir);
        this.out = out;
        this.policy = policy;
        this.rate = policy.ratePerPeriod() > 0 ? new Gcra(policy.ratePerPeriod(), policy.periodNanos(),
                System.nanoTime()) : null;
        this.random = new java.util.Random(policy.seed());
        this.next = new AtomicLong(highestNumber(this.dir));
        this.server = new SMTPServer.Builder()
                .bindAddress(address)
                .port(port)
                .hostName("sink.sluice.test")
                .insertReceivedHeaders(false)
                .sessionHandler(new SessionHandler() {
                    @Override
                    public SessionAcceptance accept(Session session) {
                        return admit(session);
                    }

                    @Override
                    public void onSessionEnd(Session session) {
                        open.remove(session);
                    }
                })
                .messageHandlerFactory(this::handler)
                .build();
        server.start();
    }

    /** Starts the sink on {@code address:port} (port 0: any free one, see {@link #port}), writing into {@code dir}. */
    public static CaptureSink start(InetAddress address, int port, Path dir, PrintStream out) throws IOException {
        return new CaptureSink(address, port, dir, out, SinkPolicy.NONE);
    }

    /** As {@link #start(InetAddress, int, Path, PrintStream)}, enforcing {@code policy} (strict mode). */
    public static CaptureSink start(InetAddress address, int port, Path dir, PrintStream out, SinkPolicy policy)
            throws IOException {
        return new CaptureSink(address, port, dir, out, policy);
    }

    /** Sessions open at once, at most, since start (refused ones not counted). */
    public int mostConnections() {
        return mostActive.get();
    }

    /** Sessions refused for the connection cap. */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    /** MAIL commands refused for the message rate. */
    public long rateLimited() {
        return rateLimited.get();
    }

    /** Recipients given the temporary failure. */
    public long tempfailed() {
        return tempfailed.get();
    }

    /** Recipients given the permanent failure. */
    public long permfailed() {
        return permfailed.get();
    }

    /** Messages accepted (written). */
    public long accepted() {
        return accepted.get();
    }

    /** Admits a session while the open ones (counted by the set, added first so two at once cannot both pass) fit. */
    private SessionHandler.SessionAcceptance admit(Session session) {
        open.add(session);
        int now = open.size();
        if (policy.connections() > 0 && now > policy.connections()) {
            open.remove(session);
            refusedConnections.incrementAndGet();
            refuse("connection", policy.style().tooManyConnections);
            return SessionHandler.SessionAcceptance.failure(code(policy.style().tooManyConnections),
                    text(policy.style().tooManyConnections));
        }
        mostActive.accumulateAndGet(now, Math::max);
        return SessionHandler.SessionAcceptance.success();
    }

    private void refuse(String what, String reply) {
        synchronized (out) {
            out.println(Instant.now() + " refused " + what + ": " + reply);
            out.flush();
        }
    }

    private static int code(String reply) {
        return Integer.parseInt(reply.substring(0, 3));
    }

    private static String text(String reply) {
        return reply.substring(4);
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
            public void from(String from) throws RejectException {
                if (rate != null && !rate.tryAcquire(System.nanoTime())) {
                    rateLimited.incrementAndGet();
                    refuse("message", policy.style().rateLimited);
                    throw new RejectException(code(policy.style().rateLimited), text(policy.style().rateLimited));
                }
                sender = from;
            }

            @Override
            public void recipient(String recipient) throws RejectException {
                double draw;
                synchronized (random) {
                    draw = random.nextDouble();
                }
                if (draw < policy.permfail()) {
                    permfailed.incrementAndGet();
                    throw new RejectException(code(policy.style().permfail), text(policy.style().permfail));
                }
                if (draw < policy.permfail() + policy.tempfail()) {
                    tempfailed.incrementAndGet();
                    throw new RejectException(code(policy.style().tempfail), text(policy.style().tempfail));
                }
                recipients.add(recipient);
            }

            @Override
            public String data(InputStream data) throws IOException {
                byte[] bytes = data.readAllBytes();
                Path file = dir.resolve(next.incrementAndGet() + ".eml");
                Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                accepted.incrementAndGet();
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
