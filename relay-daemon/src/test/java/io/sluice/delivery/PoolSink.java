package io.sluice.delivery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;
import org.subethamail.wiser.Wiser;

/** A Wiser sink on one loopback address that counts SMTP sessions begun and ended (connections, as the MX sees them). */
final class PoolSink implements AutoCloseable {
    final AtomicInteger sessions = new AtomicInteger();
    final AtomicInteger ended = new AtomicInteger();
    final Wiser wiser;
    private final String host;

    PoolSink(String host) throws Exception {
        this.host = host;
        SMTPServer.Builder server = new SMTPServer.Builder()
                .bindAddress(InetAddress.getByName(host))
                .port(0)
                .hostName("mx." + host + ".test")
                .insertReceivedHeaders(false)
                .sessionHandler(new SessionHandler() {
                    @Override
                    public SessionAcceptance accept(Session session) {
                        sessions.incrementAndGet();
                        return SessionAcceptance.success();
                    }

                    @Override
                    public void onSessionEnd(Session session) {
                        ended.incrementAndGet();
                    }
                });
        wiser = Wiser.create(server);
        wiser.start();
    }

    InetSocketAddress address() throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), wiser.getServer().getPortAllocated());
    }

    String name() {
        return "mx." + host + ".test";
    }

    @Override
    public void close() {
        wiser.stop();
    }
}
