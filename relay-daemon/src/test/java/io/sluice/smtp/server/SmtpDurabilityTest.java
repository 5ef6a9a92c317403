package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.sluice.config.Settings;
import io.sluice.config.SettingsHolder;
import io.sluice.config.SettingsLoader;
import io.sluice.journal.ChronicleSyncer;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.Recovery;
import io.sluice.journal.RecoveryResult;
import io.sluice.journal.SyncTarget;
import io.sluice.journal.Syncer;
import io.sluice.journal.WriterOptions;
import io.sluice.testing.FreePorts;
import io.sluice.testing.SmtpClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/architecture.md "Durability": no {@code 250} leaves before the journal's sync that covers the message has
 * returned. The real server and journal, with a syncer that blocks until the test lets it go.
 */
class SmtpDurabilityTest {

    @TempDir
    Path dir;

    /** The real Chronicle syncer behind a gate; records when each sync returned. */
    static final class GatedSyncer implements Syncer {
        final ChronicleSyncer real = new ChronicleSyncer();
        final Semaphore permits = new Semaphore(0);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicLong lastReturnNanos = new AtomicLong();

        @Override
        public void sync(SyncTarget target) throws IOException {
            entered.countDown();
            permits.acquireUninterruptibly();
            real.sync(target);
            lastReturnNanos.set(System.nanoTime());
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }

    @Test
    void shouldSendNo250BeforeSyncReturns() throws Exception {
        int port = FreePorts.next();
        Settings settings = SettingsLoader.parse("listeners:\n  - name: default\n    port: " + port + "\n"
                + "smtp:\n  hostname: mx.sluice.test\njournal:\n  dir: " + dir.resolve("journal")
                + "\n  min_free: 1MiB\nadmin:\n  enabled: false\n", "test.yaml");
        GatedSyncer syncer = new GatedSyncer();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (Journal journal = Journal.open(settings.journal(), settings.smtp().maxMessageBytes())) {
            RecoveryResult recovered = Recovery.recover(journal);
            JournalWriter writer = JournalWriter.start(journal, recovered, new WriterOptions().syncer(syncer));
            SmtpServer server = new SmtpServer(new SmtpServer.Dependencies(new SettingsHolder(settings), group,
                    NioServerSocketChannel.class, writer, journal::nextMessageId,
                    recovered.pending()::pendingRecipients, journal::freeBytes, name -> IngressObserver.NONE,
                    Map.of(), io.sluice.events.EventPublisher.NONE, user -> 0));
            server.start();
            try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
                c.reply();
                c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
                c.replies(4);
                c.send("Subject: durable\r\n\r\nhello\r\n.\r\nNOOP\r\n");
                assertThat(syncer.entered.await(10, TimeUnit.SECONDS)).as("writer reached sync").isTrue();
                c.socket().setSoTimeout(700);
                assertThat(readsNothing(c)).as("no reply while the sync is blocked").isTrue();
                c.socket().setSoTimeout(10_000);
                syncer.permits.release(1000);
                String reply = c.reply();
                long receivedNanos = System.nanoTime();
                assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
                assertThat(syncer.lastReturnNanos.get()).isPositive().isLessThan(receivedNanos);
                assertThat(c.reply()).as("pipelined NOOP answered after the 250, in order").isEqualTo("250 2.0.0 Ok");
            } finally {
                server.stopAccepting();
                server.drainSessions(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2));
                writer.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static boolean readsNothing(SmtpClient c) throws IOException {
        try {
            c.socket().getInputStream().read();
            return false;
        } catch (java.net.SocketTimeoutException expected) {
            return true;
        }
    }
}
