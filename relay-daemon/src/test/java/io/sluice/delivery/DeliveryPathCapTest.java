package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * One cap per path (the path policy's {@code connections}, enforced by the scheduler's window alone): with a cap of
 * 2 and a slow MX (each final dot answered after 100 ms), eight messages are delivered over at most two sessions
 * open at once, every task gets its connection at once (no task waits for a slot, none is deferred), and the two
 * connections are reused.
 */
class DeliveryPathCapTest {
    @TempDir
    Path dir;

    private final int port = FreePorts.next();
    private final List<AutoCloseable> open = new ArrayList<>();
    private DispatchFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void shouldNeverHoldMoreSessionsThanThePathsCap() throws Exception {
        f = new DispatchFixture(dir, port, 2, 2);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostActive = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        SMTPServer slow = new SMTPServer.Builder().bindAddress(InetAddress.getByName("127.0.0.2")).port(port)
                .hostName("mx.slow.test")
                .sessionHandler(new SessionHandler() {
                    @Override
                    public SessionAcceptance accept(Session session) {
                        mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                        return SessionAcceptance.success();
                    }

                    @Override
                    public void onSessionEnd(Session session) {
                        active.decrementAndGet();
                    }
                })
                .messageHandlerFactory(c -> new MessageHandler() {
                    @Override
                    public void from(String from) {
                    }

                    @Override
                    public void recipient(String recipient) {
                    }

                    @Override
                    public String data(InputStream data) throws IOException {
                        data.readAllBytes();
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        delivered.incrementAndGet();
                        return null;
                    }

                    @Override
                    public void done() {
                    }
                }).build();
        slow.start();
        open.add(slow::stop);
        f.dns.mx("one.test", 10, "mx.one.test").a("mx.one.test", "127.0.0.2");
        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= 8; id++) {
            f.accept(id, "sender@relay.test", "Subject: " + id + "\r\n\r\nbody " + id + "\r\n", "r" + id + "@one.test");
            expected.add(id + "/0/delivered");
        }

        f.runUntil("all delivered", () -> f.journalled.size() >= 8 && f.dispatcher.outstanding() == 0);
        assertThat(f.journalled).as("no DEFERRED").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(delivered).hasValue(8);
        assertThat(mostActive.get()).as("sessions open at once").isLessThanOrEqualTo(2);
        assertThat(f.pool("mx.one.test").created()).as("the two connections, reused").isLessThanOrEqualTo(2);
        assertThat(f.allocator.metric().usedDirectMemory()).as("body buffers released").isZero();
    }
}
