package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SmtpClient;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.TestDaemon;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Address syntax as a trust boundary, over real loopback SMTP with a raw client: malformed UTF-8 is
 * refused, never rewritten to U+FFFD; controls and Unicode separators are refused; unquoted specials are refused
 * (a comma-separated sender would otherwise reach a DSN's {@code To:}); a valid quoted local part is accepted and
 * stored as sent; address literals, {@code localhost} and single-label domains are refused at RCPT.
 */
class AddressSyntaxIngressTest {

    @TempDir
    Path dir;

    private static byte[] line(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] bytes(int... octets) {
        byte[] b = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            b[i] = (byte) octets[i];
        }
        return b;
    }

    private static String send(SmtpClient c, byte[] raw) throws Exception {
        c.send(raw);
        return c.reply();
    }

    @Test
    void shouldRefuseMalformedUtf8InsteadOfRewritingIt() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_errors: 100").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO client.test");
            assertThat(send(c, line("MAIL FROM:<a", bytes(0xff), "@client.test> SMTPUTF8")))
                    .isEqualTo("553 5.1.7 Bad sender address syntax: malformed UTF-8");
            assertThat(c.command("MAIL FROM:<a@client.test> SMTPUTF8")).isEqualTo("250 2.1.0 Ok");
            List<byte[]> malformed = List.of(bytes(0xff), bytes(0xc3), bytes(0xc0, 0xaf), bytes(0xe0, 0x80, 0xaf),
                    bytes(0xed, 0xa0, 0x80), bytes(0xf4, 0x90, 0x80, 0x80), bytes(0x80), bytes(0xe2, 0x82));
            for (byte[] bad : malformed) {
                assertThat(send(c, line("RCPT TO:<u", bad, "x@dest.test>")))
                        .isEqualTo("553 5.1.3 Bad recipient address syntax: malformed UTF-8");
            }
            assertThat(send(c, line("RCPT TO:<u", bytes(0xc3, 0xa9), "@dest.test>"))).as("é is fine")
                    .isEqualTo("250 2.1.5 Ok");
        }
    }

    @Test
    void shouldRefuseControlsSeparatorsAndUnquotedSpecials() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_errors: 100").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<dsn@snd.test,evil@snd.test>"))
                    .isEqualTo("553 5.1.7 Bad sender address syntax: character not allowed in a domain");
            assertThat(c.command("MAIL FROM:<a(b)@snd.test>")).startsWith("553 5.1.7");
            assertThat(c.command("MAIL FROM:<a@client.test> SMTPUTF8")).isEqualTo("250 2.1.0 Ok");
            for (String bad : List.of("a\u0085b@dest.test", "a\u2028b@dest.test", "a\u2029b@dest.test",
                    "a\u009bb@dest.test", "a,b@dest.test", "a;b@dest.test", "a(b)@dest.test", "a:b@dest.test",
                    "a[b]@dest.test", "x@dest.test,y@dest.test", "a..b@dest.test", "u@d\u2028.test")) {
                assertThat(send(c, line("RCPT TO:<", bad, ">"))).as(bad)
                        .startsWith("553 5.1.3 Bad recipient address syntax: ");
            }
        }
    }

    @Test
    void shouldAcceptAQuotedLocalPartAndStoreItAsSent() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<\"x y\"@client.test>\r\nRCPT TO:<\"a b\"@dest.test>\r\nDATA\r\n"
                    + "Subject: q\r\n\r\nbody\r\n.\r\n");
            List<String> replies = c.replies(5);
            assertThat(replies.subList(1, 4)).containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok",
                    "354 End data with <CR><LF>.<CR><LF>");
            assertThat(replies.get(4)).startsWith("250 2.0.0 Ok: queued as ");
        }
        StoredMessages.Stored message = StoredMessages.read(dir.resolve("journal")).get(0);
        assertThat(message.sender()).isEqualTo("\"x y\"@client.test");
        assertThat(message.recipients()).containsExactly("\"a b\"@dest.test");
        assertThat(message.text()).contains("\r\n\tfor <\"a b\"@dest.test>; ");
    }

    @Test
    void shouldRefuseDestinationsThatCannotBeRoutedAtRcpt() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_errors: 100").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO c");
            assertThat(c.command("MAIL FROM:<a@client.test>")).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("RCPT TO:<u@[192.0.2.1]>")).isEqualTo("550 5.7.1 <u@[192.0.2.1]>: Recipient address"
                    + " rejected: address literals are not relayed, use a domain name");
            assertThat(c.command("RCPT TO:<u@[IPv6:2001:db8::1]>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<u@localhost>"))
                    .isEqualTo("550 5.7.1 <u@localhost>: Recipient address rejected: localhost is not a relay destination");
            assertThat(c.command("RCPT TO:<u@app.LOCALHOST>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<u@intranet>")).isEqualTo("550 5.7.1 <u@intranet>: Recipient address"
                    + " rejected: single-label domain is not relayed, use a fully qualified domain name");
            assertThat(c.command("RCPT TO:<u@dest.test>")).isEqualTo("250 2.1.5 Ok");
        }
    }
}
