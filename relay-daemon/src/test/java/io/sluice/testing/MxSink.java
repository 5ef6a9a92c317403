package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * A recording MX host for end-to-end tests: a SubEthaSMTP server (the engine under Wiser) on one loopback address
 * and a fixed port. Records every accepted message (the connection it came on, sender, recipients, exact bytes
 * after dot-unstuffing, its {@code Message-ID}) and counts sessions (connections the MX let in).
 *
 * <p>Failure injection, decided by the test: {@link #refuseSessions(int)} greets the next n connections with
 * {@code 421 4.3.2} (a site that does not let us in), {@link #deferFirstDelivery()} answers the first final dot of
 * every distinct Message-ID with {@code 451 4.3.0} and accepts later ones (a transient failure per message).
 * Deferred transactions are counted, never recorded as received. {@link #delayEachReply} makes a slow MX.
 *
 * <p>Threading: SubEthaSMTP runs a thread per session; the lists and counters are safe to read from any thread.
 * Limits: loopback only; one server life ({@link #close} stops it; start a new sink on the same port to bring the
 * host back).
 */
public final class MxSink implements AutoCloseable {
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*<([^>]+)>");

    /**
     * One accepted message; {@code connection} is the client's address and port, distinct per connection;
     * {@code atMillis} is when its text had arrived (wall clock); {@code helo} is the client's EHLO/HELO name.
     */
    public record Received(String connection, String sender, List<String> recipients, byte[] bytes,
                           String messageId, long atMillis, String helo) {
        /** The client's IP address (the connection without its port). */
        public String clientIp() {
            String c = connection.startsWith("/") ? connection.substring(1) : connection;
            return c.substring(0, c.lastIndexOf(':'));
        }
    }

    private final List<Received> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger refusedSessions = new AtomicInteger();
    private final AtomicInteger deferred = new AtomicInteger();
    private final AtomicInteger sessionsToRefuse = new AtomicInteger();
    private final Map<String, Boolean> seenOnce = new ConcurrentHashMap<>();
    private record Rejection(int code, String text) {
    }

    private final Map<String, Rejection> rejectByPrefix = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> rcptAttempts = new ConcurrentHashMap<>();
    private volatile boolean deferFirst;
    private volatile long delayMillis;
    private final SMTPServer server;

    private MxSink(String address, int port, int maxMessageBytes) throws IOException {
        this(address, port, maxMessageBytes, null);
    }

    private MxSink(String address, int port, int maxMessageBytes, javax.net.ssl.SSLContext tls) throws IOException {
        SMTPServer.Builder builder = new SMTPServer.Builder();
        if (tls != null) {
            builder.enableTLS().startTlsSocketFactory(tls);
        }
        server = builder
                .maxMessageSize(maxMessageBytes)
                .bindAddress(InetAddress.getByName(address))
                .port(port)
                .hostName("mx." + address + ".test")
                .insertReceivedHeaders(false)
                .sessionHandler(new SessionHandler() {
                    @Override
                    public SessionAcceptance accept(Session session) {
                        if (sessionsToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            refusedSessions.incrementAndGet();
                            return SessionAcceptance.failure(421, "4.3.2 not now");
                        }
                        sessions.incrementAndGet();
                        return SessionAcceptance.success();
                    }

                    @Override
                    public void onSessionEnd(Session session) {
                    }
                })
                .messageHandlerFactory(this::handler)
                .build();
        server.start();
    }

    /** Starts a sink on {@code address} (e.g. 127.0.0.2) and {@code port}. */
    public static MxSink start(String address, int port) throws IOException {
        return new MxSink(address, port, 0);
    }

    /** A sink that offers STARTTLS with {@code tls}'s certificate (and accepts mail without it too). */
    public static MxSink startTls(String address, int port, javax.net.ssl.SSLContext tls) throws IOException {
        return new MxSink(address, port, 0, tls);
    }

    /** A sink that advertises {@code SIZE maxMessageBytes} (RFC 1870), so larger mail is refused before MAIL. */
    public static MxSink startWithMaxSize(String address, int port, int maxMessageBytes) throws IOException {
        return new MxSink(address, port, maxMessageBytes);
    }

    /** Greets the next {@code n} connections with 421 and closes them. */
    public MxSink refuseSessions(int n) {
        sessionsToRefuse.set(n);
        return this;
    }

    /** Answers the first final dot of each distinct Message-ID with 451; accepts every later one. */
    public MxSink deferFirstDelivery() {
        deferFirst = true;
        return this;
    }

    /**
     * A slow MX: after recording each message, waits {@code millis} before answering its final dot, so a test can
     * stop the relay while a transaction is between "received" and "acknowledged".
     */
    public MxSink delayEachReply(long millis) {
        delayMillis = millis;
        return this;
    }

    public List<Received> messages() {
        return messages;
    }

    /** Connections let in (greeted with 220). */
    public int sessions() {
        return sessions.get();
    }

    /** Connections greeted with 421 by {@link #refuseSessions}. */
    public int refusedSessions() {
        return refusedSessions.get();
    }

    /** Transactions answered 451 by {@link #deferFirstDelivery}. */
    public int deferred() {
        return deferred.get();
    }

    /**
     * A sink whose recipients with a local part starting {@code hard} get {@code 550 5.1.1} and {@code soft} get
     * {@code 451 4.2.0}: per-recipient failures on demand, by address.
     */
    public static MxSink startFailingHardAndSoft(String address, int port) throws IOException {
        return start(address, port).rejectRecipients("hard", 550, "5.1.1 no such user")
                .rejectRecipients("soft", 451, "4.2.0 mailbox busy");
    }

    /**
     * Answers RCPT for every recipient whose address starts with {@code prefix} with {@code code} and
     * {@code text} (e.g. {@code "hard", 550, "5.1.1 no such user"}): a per-recipient failure, the session goes on.
     */
    public MxSink rejectRecipients(String prefix, int code, String text) {
        rejectByPrefix.put(prefix, new Rejection(code, text));
        return this;
    }

    /** RCPT commands seen for {@code address}, accepted or not (shows retries). */
    public int rcptAttempts(String address) {
        AtomicInteger n = rcptAttempts.get(address);
        return n == null ? 0 : n.get();
    }

    /** Received messages per Message-ID (the count shows duplicates). */
    public Map<String, Integer> countsByMessageId() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        for (Received r : messages) {
            counts.merge(r.messageId(), 1, Integer::sum);
        }
        return counts;
    }

    /** The Message-ID (without angle brackets) of a message's bytes, or null. */
    public static String messageId(byte[] bytes) {
        Matcher m = MESSAGE_ID.matcher(new String(bytes, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }

    private MessageHandler handler(MessageContext context) {
        String connection = String.valueOf(context.getRemoteAddress());
        return new MessageHandler() {
            private String sender;
            private final List<String> recipients = new CopyOnWriteArrayList<>();

            @Override
            public void from(String from) {
                sender = from;
            }

            @Override
            public void recipient(String recipient) throws RejectException {
                rcptAttempts.computeIfAbsent(recipient, r -> new AtomicInteger()).incrementAndGet();
                for (Map.Entry<String, Rejection> reject : rejectByPrefix.entrySet()) {
                    if (recipient.startsWith(reject.getKey())) {
                        throw new RejectException(reject.getValue().code(), reject.getValue().text());
                    }
                }
                recipients.add(recipient);
            }

            @Override
            public String data(InputStream data) throws IOException, RejectException {
                byte[] bytes = data.readAllBytes();
                String id = messageId(bytes);
                if (deferFirst && id != null && seenOnce.putIfAbsent(id, Boolean.TRUE) == null) {
                    deferred.incrementAndGet();
                    throw new RejectException(451, "4.3.0 try again later");
                }
                messages.add(new Received(connection, sender, List.copyOf(recipients), bytes, id,
                        System.currentTimeMillis(), context.getHelo().orElse(null)));
                if (delayMillis > 0) {
                    try {
                        Thread.sleep(delayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    @Override
    public void close() {
        server.stop();
    }
}
