package io.sluice.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * A SubEthaSMTP server (the engine under Wiser) on a loopback address and a fixed port, standing in for an MX
 * host: records each message (sender, accepted recipients, exact bytes after dot-unstuffing) and counts sessions.
 * Recipients whose local part starts with {@code hard} get {@code 550 5.1.1}, with {@code soft} get
 * {@code 451 4.2.0}, so tests can provoke per-recipient failures that Wiser's accepter cannot express.
 */
final class RecordingSink implements AutoCloseable {
    /** One received message. */
    record Received(String sender, List<String> recipients, byte[] bytes) {
    }

    final List<Received> messages = new CopyOnWriteArrayList<>();
    final AtomicInteger sessions = new AtomicInteger();
    private final SMTPServer server;

    RecordingSink(String address, int port) throws IOException {
        server = new SMTPServer.Builder()
                .bindAddress(InetAddress.getByName(address))
                .port(port)
                .hostName("mx." + address + ".test")
                .insertReceivedHeaders(false)
                .sessionHandler(new SessionHandler() {
                    @Override
                    public SessionAcceptance accept(Session session) {
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

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            private String sender;
            private final List<String> recipients = new CopyOnWriteArrayList<>();

            @Override
            public void from(String from) {
                sender = from;
            }

            @Override
            public void recipient(String recipient) throws RejectException {
                if (recipient.startsWith("hard")) {
                    throw new RejectException(550, "5.1.1 no such user");
                }
                if (recipient.startsWith("soft")) {
                    throw new RejectException(451, "4.2.0 mailbox busy");
                }
                recipients.add(recipient);
            }

            @Override
            public String data(InputStream data) throws IOException {
                messages.add(new Received(sender, List.copyOf(recipients), data.readAllBytes()));
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
