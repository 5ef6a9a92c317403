package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.EventLines;
import io.sluice.testing.EventLines.Event;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.PlainMx;
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
 * Against a {@link PlainMx} (no SMTPUTF8): a message whose client declared SMTPUTF8 and whose header section is
 * UTF-8 bounces {@code 5.6.7} (RFC 6531 3.2), while one with ASCII headers goes with the domain's A-labels.
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
                .a("mx.sink.test", "127.0.0.2")
                .mx("xn--mnchen-3ya.test", 10, "mx.plain.test").a("mx.plain.test", "127.0.0.3");
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

    @Test
    void shouldBounceUtf8HeadersButSendALabelsToAHopWithoutSmtpUtf8() throws Exception {
        String utf8Headers;
        String asciiHeaders;
        String undeclared;
        try (PlainMx plain = PlainMx.start("127.0.0.3", mxPort)) {
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true").start();
                 SmtpClient c = daemon.connect()) {
                c.reply();
                c.command("EHLO client.test");
                utf8Headers = send(c, "MAIL FROM:<app@client.test> SMTPUTF8", "a@münchen.test",
                        "Subject: Grüße aus München\r\n\r\nbody\r\n.");
                asciiHeaders = send(c, "MAIL FROM:<app@client.test> SMTPUTF8", "b@münchen.test",
                        "Subject: plain\r\n\r\nbody with ü in it\r\n.");
                undeclared = send(c, "MAIL FROM:<app@client.test>", "c@xn--mnchen-3ya.test",
                        "Subject: legacy \u00e4 without SMTPUTF8\r\n\r\nbody\r\n.");
                await().atMost(Duration.ofSeconds(15)).until(() -> plain.messages().size() == 2);
            }
            assertThat(plain.messages()).extracting(PlainMx.Received::recipients).as("over parallel connections")
                    .containsExactlyInAnyOrder(List.of("b@xn--mnchen-3ya.test"), List.of("c@xn--mnchen-3ya.test"));
            assertThat(plain.messages()).filteredOn(m -> m.recipients().contains("b@xn--mnchen-3ya.test"))
                    .singleElement().extracting(PlainMx.Received::text).asString()
                    .as("our trace header names the recipient by its A-labels").contains("for <b@xn--mnchen-3ya.test>");
            assertThat(plain.commands()).as("nothing of the UTF-8-header message reached the hop")
                    .noneMatch(line -> line.contains("a@"));
        }
        List<Event> events = EventLines.read(dir.resolve("events").resolve("events.jsonl"));
        Event bounced = events.stream().filter(e -> utf8Headers.equals(e.id()) && e.type().equals("bounced"))
                .findFirst().orElseThrow();
        assertThat(EventLines.field(bounced.line(), "status")).isEqualTo("5.6.7");
        assertThat(EventLines.field(bounced.line(), "text")).contains("SMTPUTF8 is required");
        assertThat(events).filteredOn(e -> e.type().equals("delivered")).extracting(Event::id)
                .containsExactlyInAnyOrder(asciiHeaders, undeclared);
    }

    /** One transaction; returns the queue id. */
    private static String send(SmtpClient c, String mail, String rcpt, String text) throws Exception {
        assertThat(c.command(mail)).isEqualTo("250 2.1.0 Ok");
        assertThat(c.command("RCPT TO:<" + rcpt + ">")).isEqualTo("250 2.1.5 Ok");
        assertThat(c.command("DATA")).startsWith("354");
        String reply = c.command(text);
        assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
        return reply.substring("250 2.0.0 Ok: queued as ".length()).trim();
    }
}
