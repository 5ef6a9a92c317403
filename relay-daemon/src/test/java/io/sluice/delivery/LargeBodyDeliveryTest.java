package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large bodies through the fast paths end to end (ingress finds line ends a word at a time and copies runs of lines;
 * the body loader copies the stored text from the mapped journal into the send buffer in one piece; dot-stuffing
 * searches dots): messages of 200 KB to 4 MB with dot lines at every offset, 8-bit text, TABs and other control
 * octets, long lines and line ends across TCP reads arrive at the MX exactly as written, with {@code BODY=8BITMIME}.
 */
class LargeBodyDeliveryTest {
    @TempDir
    Path dir;

    @Test
    void shouldDeliverLargeBodiesExactly() throws Exception {
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink mx = MxSink.start("127.0.0.2", mxPort)) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.2");
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ndsn: false").start();
                 SmtpClient c = daemon.connect()) {
                c.reply();
                c.command("EHLO client.test");
                Random random = new Random(11);
                byte[][] bodies = {body(random, 200_000), body(random, 1_000_000), body(random, 4_000_000)};
                for (int i = 0; i < bodies.length; i++) {
                    c.send("MAIL FROM:<big@client.test> BODY=8BITMIME\r\nRCPT TO:<r" + i + "@dest.test>\r\nDATA\r\n");
                    assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
                    c.send(stuff(("Message-ID: <big" + i + "@client.test>\r\nSubject: big\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII), bodies[i]));
                    assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> mx.messages().size() == bodies.length);
                for (MxSink.Received r : mx.messages()) {
                    int i = Integer.parseInt(r.messageId().substring(3, 4));
                    byte[] got = r.bytes();
                    byte[] tail = Arrays.copyOfRange(got, got.length - bodies[i].length, got.length);
                    assertThat(tail).as("body of big%d (%d octets) exactly", i, bodies[i].length)
                            .isEqualTo(bodies[i]);
                }
            }
        }
    }

    /** CRLF lines of 0-990 octets: letters, 8-bit octets, TAB, FF, dots (often at the line start), a final CRLF. */
    private static byte[] body(Random random, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1000);
        byte[] alphabet = "abcXYZ .\t\f\u00e9\u00fc0123456789".getBytes(StandardCharsets.UTF_8);
        while (out.size() < size) {
            int length = random.nextInt(10) == 0 ? random.nextInt(990) : random.nextInt(80);
            if (random.nextInt(5) == 0) {
                out.write('.');
            }
            for (int k = 0; k < length; k++) {
                out.write(alphabet[random.nextInt(alphabet.length)]);
            }
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Headers and body as DATA text: dot-stuffed, with the final dot. */
    private static byte[] stuff(byte[] headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(headers.length + body.length * 11 / 10 + 5);
        out.writeBytes(headers);
        boolean lineStart = true;
        for (byte b : body) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        out.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
