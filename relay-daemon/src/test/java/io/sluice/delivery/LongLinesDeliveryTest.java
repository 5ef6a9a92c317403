package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 7: with {@code smtp.long_lines: accept} a message with a 5,000-octet line is accepted and delivered
 * to the MX byte for byte, the line neither refused nor folded.
 */
class LongLinesDeliveryTest {
    @TempDir
    Path dir;

    @Test
    void shouldDeliverALongLineAsSentWithLongLinesAccept() throws Exception {
        String longLine = "w".repeat(5000);
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)) {
            dns.mx("long.test", 10, "mx.long.test").a("mx.long.test", "127.0.0.2");
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns).smtp("long_lines: accept")
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true").start();
                 SmtpClient c = daemon.connect()) {
                c.reply();
                c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@long.test>\r\nDATA\r\n");
                c.replies(4);
                c.send("Subject: long\r\n\r\n" + longLine + "\r\nshort\r\n.\r\n");
                assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.messages().size() == 1);
            }
            String delivered = new String(sink.messages().get(0).bytes(), StandardCharsets.UTF_8);
            assertThat(delivered).contains("\r\n\r\n" + longLine + "\r\nshort\r\n");
        }
    }
}
