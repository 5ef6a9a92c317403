package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.AdminHttp;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.ReloadFixture;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-click unsubscribe end to end, the whole daemon on loopback: on a route with {@code unsubscribe}, each recipient
 * gets a stored message of its own with {@code List-Unsubscribe} (link and mailto) and {@code List-Unsubscribe-Post};
 * a GET of the link shows a page and changes nothing; the POST suppresses the recipient for the sender's domain and
 * writes an {@code unsubscribe} event; the same POST again and a forged token are refused; a mail to the mailto
 * address at the feedback listener unsubscribes too; the next message to an unsubscribed address is held back; the
 * web listener limits requests per IP.
 */
class OneClickUnsubscribeEndToEndTest {
    private static final Pattern LINK = Pattern.compile("<https://u\\.sluice\\.test/u/([A-Za-z0-9_-]+)>");
    private static final Pattern MAILTO = Pattern.compile("<mailto:(u\\+[a-z2-7]{34}@bounces\\.sluice\\.test)"
            + "\\?subject=unsubscribe>");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void shouldUnsubscribeByLinkAndByMailAndRefuseForgeriesReplaysAndFloods() throws Exception {
        int mxPort = FreePorts.next();
        int feedbackPort = FreePorts.next();
        int webPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort)) {
            dns.mx("dest.test", 10, "mx1.dest.test").a("mx1.dest.test", "127.0.0.2");
            Path token = ReloadFixture.writeToken(dir.resolve("admin.token"), ReloadFixture.TOKEN);
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns).admin("token_file: " + token)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls: none")
                    .anotherListener("name: feedback\naddress: 127.0.0.1\nport: " + feedbackPort + "\nrole: feedback")
                    .topLevel("""
                            routes:
                              - name: bulk
                                match: {sender_domains: [client.test]}
                                pool: default
                                verp: {domain: bounces.sluice.test}
                                unsubscribe: {url_base: "https://u.sluice.test/", mailto: true}
                              - name: default
                                pool: default
                            web:
                              enabled: true
                              port: %d
                              max_requests_per_ip: 12
                            """.formatted(webPort)).start()) {
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    submit(c, "news@client.test", "a@dest.test", "b@dest.test", "c@dest.test");
                    submit(c, "app@other.test", "a@dest.test", "b@dest.test");
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 4);
                String linkA = null;
                String mailtoB = null;
                for (MxSink.Received m : sink.messages()) {
                    String text = new String(m.bytes(), StandardCharsets.UTF_8);
                    if (m.recipients().size() == 2) {
                        assertThat(text).as("the route without unsubscribe keeps one message").doesNotContain(
                                "List-Unsubscribe");
                        continue;
                    }
                    assertThat(m.recipients()).hasSize(1);
                    assertThat(text).startsWith("Received: ").contains("\r\nList-Unsubscribe-Post: "
                            + "List-Unsubscribe=One-Click\r\n").contains("Subject: news\r\n");
                    Matcher link = LINK.matcher(text);
                    Matcher mailto = MAILTO.matcher(text);
                    assertThat(link.find()).as(text).isTrue();
                    assertThat(mailto.find()).as(text).isTrue();
                    if (m.recipients().get(0).equals("a@dest.test")) {
                        linkA = link.group(1);
                    } else if (m.recipients().get(0).equals("b@dest.test")) {
                        mailtoB = mailto.group(1);
                    }
                }
                assertThat(linkA).isNotNull();
                assertThat(mailtoB).isNotNull();
                int admin = daemon.adminPort();
                String base = "http://127.0.0.1:" + webPort + "/u/";

                // a link scanner's GET: a page, nothing changes
                HttpResponse<String> page = get(base + linkA);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("a@dest.test").contains("client.test").contains("method=\"post\"");
                assertThat(AdminHttp.get(admin, "/admin/suppression?address=a@dest.test")).doesNotContain("a@dest");

                // a forged token: refused, nothing changes
                String forged = linkA.substring(0, 12) + (linkA.charAt(12) == 'A' ? 'B' : 'A') + linkA.substring(13);
                assertThat(post(base + forged).statusCode()).isEqualTo(404);
                assertThat(post(base + "not-a-token").statusCode()).isEqualTo(404);

                // the one-click POST
                HttpResponse<String> done = post(base + linkA);
                assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
                assertThat(AdminHttp.get(admin, "/admin/suppression?address=a@dest.test"))
                        .contains("a@dest.test,sender-domain,client.test,feedback,unsubscribe,");
                assertThat(post(base + linkA).statusCode()).as("replayed").isEqualTo(410);
                await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(daemon.eventLog())
                        .contains("\"type\":\"unsubscribe\",\"time\""));

                // the mailto: a mail to the unsubscribe address at the feedback listener
                try (SmtpClient c = new SmtpClient("127.0.0.1", feedbackPort)) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO mail.dest.test")).startsWith("250");
                    assertThat(c.command("MAIL FROM:<b@dest.test>")).startsWith("250");
                    assertThat(c.command("RCPT TO:<" + mailtoB + ">")).startsWith("250");
                    assertThat(c.command("DATA")).startsWith("354");
                    c.send("Subject: unsubscribe\r\n\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(c.reply()).startsWith("250");
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> AdminHttp.get(admin,
                        "/admin/suppression?address=b@dest.test").contains("sender-domain,client.test"));
                assertThat(AdminHttp.metric(admin, "sluice_unsubscribes_total{channel=\"mailto\"}")).isEqualTo(1.0);
                assertThat(AdminHttp.metric(admin, "sluice_unsubscribes_total{channel=\"one-click\"}"))
                        .isEqualTo(1.0);

                // the next newsletter to a and b is held back; the other sender's mail to them still goes
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    submit(c, "news@client.test", "a@dest.test", "b@dest.test");
                    submit(c, "app@other.test", "a@dest.test");
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 5
                        && AdminHttp.metric(admin, "sluice_suppressed_recipients_total") == 2.0);
                assertThat(sink.messages().get(4).sender()).isEqualTo("app@other.test");

                // the web listener's own limit: 12 requests a minute from one address
                int status = 0;
                for (int i = 0; i < 12 && status != 429; i++) {
                    status = get(base + linkA).statusCode();
                }
                assertThat(status).isEqualTo(429);
            }
        }
    }

    private static void submit(SmtpClient c, String sender, String... recipients) throws Exception {
        StringBuilder sb = new StringBuilder("MAIL FROM:<" + sender + ">\r\n");
        for (String r : recipients) {
            sb.append("RCPT TO:<").append(r).append(">\r\n");
        }
        c.send(sb.append("DATA\r\n").toString());
        assertThat(c.replies(recipients.length + 2)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
        c.send(("From: " + sender + "\r\nSubject: news\r\n\r\nhello\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
