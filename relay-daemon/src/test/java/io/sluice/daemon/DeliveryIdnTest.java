package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * International and quoted addresses end to end: the whole daemon on loopback, a
 * {@link TestDnsServer} zone that knows the IDN only by its A-labels (as real DNS does), and a SubEthaSMTP sink,
 * which offers SMTPUTF8. An SMTPUTF8 recipient at {@code παράδειγμα.test} is looked up as
 * {@code xn--hxajbheg2az3al.test} and delivered as received (the A-label form for a next hop without SMTPUTF8 is
 * {@code OutboundTransactionTest}'s); a quoted local part is delivered as sent; an invalid IDN is refused at RCPT.
 */
class DeliveryIdnTest {
    @TempDir
    Path dir;

    private TestDnsServer dns;
    private MxSink mx;
    private int mxPort;

    @BeforeEach
    void zone() throws Exception {
        mxPort = FreePorts.next();
        dns = TestDnsServer.start("test");
        dns.mx("xn--hxajbheg2az3al.test", 10, "mx.sink.test").mx("dom.test", 10, "mx.sink.test")
                .a("mx.sink.test", "127.0.0.2");
        mx = MxSink.start("127.0.0.2", mxPort);
    }

    @AfterEach
    void stop() throws Exception {
        mx.close();
        dns.close();
    }

    @Test
    void shouldLookUpAnIdnByItsALabelsAndDeliverItAndAQuotedLocalPartAsSent() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).dns(dns).smtp("max_errors: 100")
                .delivery("mx_port: " + mxPort + "\nallow_private_mx: true").start();
             SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<app@client.test> SMTPUTF8")).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RCPT TO:<u@☃.test>")).as("a symbol is not IDNA 2008")
                    .isEqualTo("553 5.1.3 Bad recipient address syntax: invalid international domain name (IDNA 2008)");
            assertThat(c.command("RCPT TO:<u@xn--zz.test>")).startsWith("553 5.1.3");
            assertThat(c.command("RCPT TO:<u@ｅｘａｍｐｌｅ.test>")).as("full-width: would need mapping")
                    .startsWith("553 5.1.3");
            assertThat(c.command("RCPT TO:<user@παράδειγμα.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("RCPT TO:<\"a b\"@dom.test>")).isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: idn\r\n\r\nbody\r\n.")).startsWith("250 2.0.0 Ok: queued as ");
            await().atMost(Duration.ofSeconds(15)).until(() -> mx.messages().size() == 2);
        }
        List<String> recipients = mx.messages().stream().flatMap(m -> m.recipients().stream()).toList();
        assertThat(recipients).containsExactlyInAnyOrder("user@παράδειγμα.test", "\"a b\"@dom.test");
    }
}
