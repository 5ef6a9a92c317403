package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.sluice.testing.AdminHttp;
import io.sluice.testing.EventLines;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.SelfSignedPem;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTA-STS (RFC 8461) end to end, the whole daemon on loopback: policies served by a loopback HTTPS server at
 * {@code mta-sts.<domain>}, found through the test DNS server's {@code _mta-sts} TXT records, certificates trusted
 * through {@code delivery.tls_ca_file}. Enforce: the listed MX host with a certificate naming it gets the mail over
 * verified TLS; an MX host the policy does not list, or one whose certificate names another host, gets nothing and
 * the mail is deferred with the reason. Testing: the same bad certificate gets the mail, and it is counted. A domain
 * without a policy is delivered as before. The fetched policies are cached on disk.
 */
class MtaStsEndToEndTest {
    @TempDir
    Path dir;

    private HttpsServer https;
    private final AtomicInteger policyFetches = new AtomicInteger();

    @AfterEach
    void stopHttps() {
        if (https != null) {
            https.stop(0);
        }
    }

    private static SSLContext serverContext(SelfSignedPem pem) throws Exception {
        return ((JdkSslContext) SslContextBuilder.forServer(pem.cert().toFile(), pem.key().toFile())
                .sslProvider(SslProvider.JDK).build()).context();
    }

    /** Serves each domain's policy at https://mta-sts.<domain>:port/.well-known/mta-sts.txt (by Host header). */
    private int startPolicyServer(SelfSignedPem pem, Map<String, String> policies) throws Exception {
        https = HttpsServer.create(new InetSocketAddress("127.0.0.5", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(pem)));
        https.createContext("/.well-known/mta-sts.txt", exchange -> {
            policyFetches.incrementAndGet();
            String host = exchange.getRequestHeaders().getFirst("Host").replaceFirst(":\\d+$", "");
            String body = policies.get(host.substring("mta-sts.".length()));
            byte[] bytes = (body == null ? "no policy" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        https.start();
        return https.getAddress().getPort();
    }

    @Test
    void shouldEnforceListedMxHostsWithVerifiedTlsDeferTheRestAndOnlyReportUnderTesting() throws Exception {
        SelfSignedPem goodMx = SelfSignedPem.create(dir, "mx.good.test", "mx.good.test");
        SelfSignedPem badMx = SelfSignedPem.create(dir, "mx.other.test", "mx.other.test");
        SelfSignedPem policyHost = SelfSignedPem.create(dir, "mta-sts", "mta-sts.enforce.test, mta-sts.wrongmx.test,"
                + " mta-sts.badcert.test, mta-sts.testing.test");
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, Files.readString(goodMx.cert()) + Files.readString(badMx.cert())
                + Files.readString(policyHost.cert()));
        Map<String, String> policies = new ConcurrentHashMap<>(Map.of(
                "enforce.test", "version: STSv1\r\nmode: enforce\r\nmx: mx.good.test\r\nmax_age: 86400\r\n",
                "wrongmx.test", "version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n",
                "badcert.test", "version: STSv1\nmode: enforce\nmx: mx.bad.test\nmax_age: 86400\n",
                "testing.test", "version: STSv1\nmode: testing\nmx: mx.bad.test\nmax_age: 86400\n"));
        int httpsPort = startPolicyServer(policyHost, policies);
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink good = MxSink.startTls("127.0.0.2", mxPort, serverContext(goodMx));
             MxSink bad = MxSink.startTls("127.0.0.3", mxPort, serverContext(badMx))) {
            dns.a("mx.good.test", "127.0.0.2").a("mx.bad.test", "127.0.0.3");
            for (String d : List.of("enforce.test", "wrongmx.test")) {
                dns.mx(d, 10, "mx.good.test");
            }
            for (String d : List.of("badcert.test", "testing.test", "nopolicy.test")) {
                dns.mx(d, 10, "mx.bad.test");
            }
            for (String d : policies.keySet()) {
                dns.txt("_mta-sts." + d, "v=STSv1; id=20261207T1;").a("mta-sts." + d, "127.0.0.5");
            }
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls_ca_file: " + ca
                            + "\nretry:\n  first: 1h\n")
                    .topLevel("mta_sts:\n  https_port: " + httpsPort + "\n  fetch_timeout: 5s\n").start()) {
                try (SmtpClient c = daemon.connect()) {
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    for (String d : List.of("enforce", "wrongmx", "badcert", "testing", "nopolicy")) {
                        c.send("MAIL FROM:<app@client.test>\r\nRCPT TO:<u@" + d + ".test>\r\nDATA\r\n");
                        assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
                        c.send(("Subject: to " + d + "\r\n\r\nhi\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
                        assertThat(c.reply()).startsWith("250 2.0.0");
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> good.messages().size() == 1
                        && bad.messages().size() == 2 && deferred(daemon).size() == 2);

                assertThat(recipients(good)).containsExactly("u@enforce.test");
                assertThat(recipients(bad)).containsExactlyInAnyOrder("u@testing.test", "u@nopolicy.test");
                List<EventLines.Event> events = EventLines.read(daemon.eventLog());
                assertThat(events).filteredOn(e -> e.type().equals("delivered")
                        && e.recipient().equals("u@enforce.test")).singleElement()
                        .satisfies(e -> assertThat(EventLines.field(e.line(), "tls")).isEqualTo("verified"));
                assertThat(events).filteredOn(e -> e.type().equals("delivered")
                        && e.recipient().equals("u@testing.test")).singleElement()
                        .satisfies(e -> assertThat(EventLines.field(e.line(), "tls")).isEqualTo("encrypted"));
                Map<String, String> reasons = deferred(daemon);
                assertThat(reasons.get("u@wrongmx.test")).contains("MTA-STS policy of wrongmx.test (enforce")
                        .contains("allows none of its MX hosts [mx.good.test]");
                assertThat(reasons.get("u@badcert.test")).contains("MTA-STS policy in enforce mode")
                        .contains("the certificate of mx.bad.test does not name it");

                int admin = daemon.adminPort();
                assertThat(AdminHttp.metric(admin, "sluice_mta_sts_fetches_total{result=\"ok\"}")).isEqualTo(4.0);
                assertThat(AdminHttp.metric(admin,
                        "sluice_mta_sts_failures_total{mode=\"enforce\",reason=\"mx_mismatch\"}")).isEqualTo(1.0);
                assertThat(AdminHttp.metric(admin,
                        "sluice_mta_sts_failures_total{mode=\"testing\",reason=\"tls_unverified\"}")).isEqualTo(1.0);
                assertThat(AdminHttp.metric(admin,
                        "sluice_mta_sts_failures_total{mode=\"testing\",reason=\"mx_mismatch\"}")).isZero();
                assertThat(policyFetches.get()).isEqualTo(4);
                Path cacheFile = daemon.journalDir().resolve("mta-sts.cache");
                await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(cacheFile)
                        && Files.readString(cacheFile).lines().count() == 4);
                assertThat(Files.readString(cacheFile))
                        .contains("enforce.test\t20261207T1\tenforce\t86400\t")
                        .contains("testing.test\t20261207T1\ttesting\t86400\t");
            }
        }
    }

    @Test
    void shouldKeepEnforcedMailOffAProvidersSharedPoolOfUnverifiedConnections() throws Exception {
        SelfSignedPem mx = SelfSignedPem.create(dir, "mx1.bigmail.test", "mx1.bigmail.test");
        SelfSignedPem policyHost = SelfSignedPem.create(dir, "mta-sts.gmail.test", "mta-sts.gmail.test");
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, Files.readString(mx.cert()) + Files.readString(policyHost.cert()));
        int httpsPort = startPolicyServer(policyHost, Map.of("gmail.test",
                "version: STSv1\nmode: enforce\nmx: *.bigmail.test\nmax_age: 86400\n"));
        // a provider whose sites share one pool per source (it caps connections per source), TLS off for it
        Files.writeString(dir.resolve("shaping.yaml"), """
                providers:
                  - name: bigmail
                    mx_suffixes: [.bigmail.test]
                    per_source: {connections: 5}
                    tls: none
                """);
        int mxPort = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.startTls("127.0.0.2", mxPort, serverContext(mx))) {
            dns.a("mx1.bigmail.test", "127.0.0.2").mx("workspace.test", 10, "mx1.bigmail.test")
                    .mx("gmail.test", 10, "mx1.bigmail.test")
                    .txt("_mta-sts.gmail.test", "v=STSv1; id=1").a("mta-sts.gmail.test", "127.0.0.5");
            try (TestDaemon daemon = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls_ca_file: " + ca)
                    .topLevel("shaping:\n  file: shaping.yaml\nmta_sts:\n  https_port: " + httpsPort + "\n")
                    .start()) {
                try (SmtpClient c = daemon.connect()) { // the provider's unmarked site attaches first
                    assertThat(c.reply()).startsWith("220");
                    assertThat(c.command("EHLO client.test")).startsWith("250");
                    send(c, "workspace");
                    await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 1);
                    send(c, "gmail");
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 2);
                List<EventLines.Event> events = EventLines.read(daemon.eventLog());
                assertThat(tlsOf(events, "u@workspace.test")).as("the provider's own tls: none").isEqualTo("none");
                assertThat(tlsOf(events, "u@gmail.test")).as("enforce: verified, whatever the provider says")
                        .isEqualTo("verified");
            }
        }
    }

    private static void send(SmtpClient c, String domain) throws Exception {
        c.send("MAIL FROM:<app@client.test>\r\nRCPT TO:<u@" + domain + ".test>\r\nDATA\r\n");
        assertThat(c.replies(3)).allMatch(r -> r.startsWith("250") || r.startsWith("354"));
        c.send(("Subject: to " + domain + "\r\n\r\nhi\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).startsWith("250 2.0.0");
    }

    private static String tlsOf(List<EventLines.Event> events, String recipient) {
        return events.stream().filter(e -> e.type().equals("delivered") && e.recipient().equals(recipient))
                .map(e -> EventLines.field(e.line(), "tls")).findFirst().orElse("not delivered");
    }

    /** The last deferral text of each deferred recipient. */
    private static Map<String, String> deferred(TestDaemon daemon) throws Exception {
        Map<String, String> out = new ConcurrentHashMap<>();
        for (EventLines.Event e : EventLines.read(daemon.eventLog())) {
            if (e.type().equals("deferred")) {
                out.put(e.recipient(), String.valueOf(EventLines.field(e.line(), "text")));
            }
        }
        return out;
    }

    private static List<String> recipients(MxSink sink) {
        return sink.messages().stream().flatMap(m -> m.recipients().stream()).toList();
    }
}
