package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.events.TlsSession;
import io.sluice.testing.SelfSignedPem;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opportunistic TLS through the whole dispatcher: a next hop whose STARTTLS handshake fails is tried again at once
 * in clear text and the message is delivered; the site is then remembered as clear-text ({@link ClearTextSites}).
 * The {@code attempt} and {@code delivered} events say how the session was protected.
 */
class DeliveryDispatcherTlsTest {
    private static final String EHLO_STARTTLS = """
            S: 220 mx.test ESMTP
            C: EHLO sluice.test
            S: 250-mx.test
            S: 250 STARTTLS
            """;

    @TempDir
    Path dir;

    private ScriptedMx mx;
    private DispatchFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
        if (mx != null) {
            mx.close();
        }
    }

    @Test
    void shouldRetryInClearTextAfterAFailedTlsHandshakeAndDeliver() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                !garbage
                """, EHLO_STARTTLS + """
                C: MAIL FROM:<sender@relay.test>*
                S: 250 2.1.0 ok
                C: RCPT TO:<u@g.test>
                S: 250 2.1.5 ok
                C: DATA
                S: 354 go ahead
                T:
                S: 250 2.0.0 queued
                """);
        f = new DispatchFixture(dir, mx.address().getPort(), 4);
        f.dns.mx("g.test", 10, "mx.g.test").a("mx.g.test", "127.0.0.2");
        f.accept(1, "sender@relay.test", "Subject: tls\r\n\r\nhello\r\n", "u@g.test");

        f.runUntil("delivered", () -> !f.journalled.isEmpty());
        assertThat(f.journalled).containsExactly("1/0/delivered");
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.session(1).clientLines()).doesNotContain("STARTTLS");
    }

    @Test
    void shouldReportTheSessionsTlsVersionCipherAndVerificationInAttemptAndDeliveredEvents() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir, "mx.g.test");
        SSLContext serverTls = ((JdkSslContext) SslContextBuilder.forServer(pem.cert().toFile(), pem.key().toFile())
                .sslProvider(SslProvider.JDK).build()).context();
        mx = ScriptedMx.startTls("127.0.0.2", serverTls, EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                !tls
                C: EHLO sluice.test
                S: 250 mx.test
                C: MAIL FROM:<sender@relay.test>*
                S: 250 2.1.0 ok
                C: RCPT TO:<u@g.test>
                S: 250 2.1.5 ok
                C: DATA
                S: 354 go ahead
                T:
                S: 250 2.0.0 queued
                """);
        f = new DispatchFixture(dir, mx.address().getPort(), 4);
        f.dns.mx("g.test", 10, "mx.g.test").a("mx.g.test", "127.0.0.2");
        f.accept(1, "sender@relay.test", "Subject: tls\r\n\r\nhello\r\n", "u@g.test");

        f.runUntil("delivered event", () -> f.events.stream().anyMatch(e -> e.type() == EventType.DELIVERED));
        for (EventType type : new EventType[] {EventType.ATTEMPT, EventType.DELIVERED}) {
            LifecycleEvent e = f.events.stream().filter(x -> x.type() == type).findFirst().orElseThrow();
            TlsSession tls = e.tls();
            assertThat(tls).as(type.label()).isNotNull();
            assertThat(tls.version()).as("a self-signed certificate still encrypts").startsWith("TLSv1.");
            assertThat(tls.cipher()).startsWith("TLS_");
            assertThat(tls.verified()).as("not in the JDK's trust store").isFalse();
            assertThat(tls.state()).isEqualTo("encrypted");
            StringBuilder json = new StringBuilder();
            io.sluice.events.EventJson.append(e, json);
            assertThat(json.toString()).contains("\"tls\":\"encrypted\"", "\"tls_version\":\"TLSv1.",
                    "\"tls_cipher\":\"TLS_");
        }
    }

    @Test
    void shouldRememberAClearTextSiteUntilTheMemoryLapses() throws Exception {
        ClearTextSites<String> sites = new ClearTextSites<>(50_000_000L);
        assertThat(sites.inClearText("s")).isFalse();
        sites.tlsFailed("s");
        assertThat(sites.inClearText("s")).isTrue();
        assertThat(sites.inClearText("other")).isFalse();
        Thread.sleep(60);
        assertThat(sites.inClearText("s")).isFalse();
    }
}
