package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.MxSink;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A full connection pool is not a delivery attempt: with {@code max_connections_per_site} 1 and the scheduler
 * allowed 4 tasks at the site (so the pool really is full for most of them), every message waits for the one
 * connection and is delivered on it, with no DEFERRED record and no attempt counted; closing the dispatcher hands
 * the waiting ones back untried.
 */
class DeliveryPoolFullTest {
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
    void shouldWaitForTheOneConnectionInsteadOfDeferringWhenThePoolIsFull() throws Exception {
        f = new DispatchFixture(dir, port, 4, 1);
        MxSink mx = MxSink.startFailingHardAndSoft("127.0.0.2", port);
        open.add(mx);
        f.dns.mx("one.test", 10, "mx.one.test").a("mx.one.test", "127.0.0.2");
        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= 6; id++) {
            f.accept(id, "sender@relay.test", "Subject: " + id + "\r\n\r\nbody " + id + "\r\n", "r" + id + "@one.test");
            expected.add(id + "/0/delivered");
        }

        f.runUntil("all delivered", () -> f.journalled.size() >= 6 && f.dispatcher.outstanding() == 0);
        f.runUntil("nothing in flight", () -> f.scheduler.counters().inFlightRecipients() == 0);
        assertThat(f.journalled).as("no DEFERRED: a full pool is not an attempt")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(mx.messages()).hasSize(6);
        assertThat(f.pool("mx.one.test").created()).as("one connection, waited for and reused").isEqualTo(1);
        assertThat(f.scheduler.counters().scheduledRecipients()).isZero();
        assertThat(f.allocator.metric().usedDirectMemory()).as("body buffers released").isZero();
    }

    @Test
    void shouldHandBackTasksWaitingForASlotUntriedWhenClosing() throws Exception {
        f = new DispatchFixture(dir, port, 4, 1);
        CountDownLatch inData = new CountDownLatch(1);
        SMTPServer slow = new SMTPServer.Builder().bindAddress(InetAddress.getByName("127.0.0.2")).port(port)
                .hostName("mx.slow.test").messageHandlerFactory(c -> new MessageHandler() {
                    @Override
                    public void from(String from) {
                    }

                    @Override
                    public void recipient(String recipient) {
                    }

                    @Override
                    public String data(InputStream data) throws IOException {
                        data.readAllBytes();
                        inData.countDown();
                        try {
                            Thread.sleep(500); // holds the one slot while the others wait
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return null;
                    }

                    @Override
                    public void done() {
                    }
                }).build();
        slow.start();
        open.add(slow::stop);
        f.dns.mx("one.test", 10, "mx.one.test").a("mx.one.test", "127.0.0.2");
        for (int id = 1; id <= 3; id++) {
            f.accept(id, "sender@relay.test", "Subject: " + id + "\r\n\r\nbody\r\n", "r" + id + "@one.test");
        }
        f.runUntil("all three dispatched", () -> f.scheduler.counters().inFlightRecipients() == 3);
        assertThat(inData.await(5, TimeUnit.SECONDS)).isTrue();

        f.dispatcher.close();
        f.runUntil("the first delivered, the others back in the ready queue",
                () -> f.journalled.size() == 1 && f.scheduler.counters().readyRecipients() == 2
                        && f.dispatcher.outstanding() == 0);
        f.runUntil("nothing in flight", () -> f.scheduler.counters().inFlightRecipients() == 0);
        assertThat(f.journalled).as("no DEFERRED for the tasks that never ran").hasSize(1)
                .allMatch(r -> r.endsWith("/0/delivered"));
        assertThat(f.allocator.metric().usedDirectMemory()).as("body buffers released").isZero();
    }
}
