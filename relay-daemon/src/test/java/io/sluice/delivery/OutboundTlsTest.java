package io.sluice.delivery;

import static io.sluice.delivery.OutboundFixture.await;
import static io.sluice.delivery.OutboundFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.sluice.config.DeliverySettings;
import io.sluice.config.DeliverySettings.OutboundTls;
import io.sluice.testing.SelfSignedPem;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS to a scripted next hop with a self-signed certificate (made by openssl): opportunistic TLS succeeds
 * without trusting it, EHLO is repeated inside TLS, a failed handshake is TLS_FAILED and the clear-text retry
 * works, {@code tls: required} without STARTTLS is TLS_UNAVAILABLE, a refused STARTTLS continues in clear text,
 * and bytes injected after the 220 are a protocol error.
 */
class OutboundTlsTest {
    private static final String EHLO_STARTTLS = """
            S: 220 mx.test ESMTP
            C: EHLO sluice.test
            S: 250-mx.test
            S: 250-SIZE 1000
            S: 250 STARTTLS
            """;

    @TempDir
    static Path dir;
    private static SSLContext serverTls;
    private static X509TrustManager trustingTheCert;

    private final OutboundFixture fixture = new OutboundFixture();
    private ScriptedMx mx;

    @BeforeAll
    static void makeCertificate() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir, "mx.test");
        serverTls = ((JdkSslContext) SslContextBuilder.forServer(pem.cert().toFile(), pem.key().toFile())
                .sslProvider(SslProvider.JDK).build()).context();
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem.cert())) {
            store.setCertificateEntry("mx", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        trustingTheCert = (X509TrustManager) factory.getTrustManagers()[0];
    }

    @AfterEach
    void tearDown() throws Exception {
        if (mx != null) {
            mx.close();
        }
        fixture.close();
    }

    @Test
    void shouldStartTlsAndForgetTheCapabilitiesLearnedBefore() throws Exception {
        String text = "Subject: secret\r\n\r\n.hidden\r\n";
        mx = ScriptedMx.startTls("127.0.0.2", serverTls, EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                !tls
                C: EHLO sluice.test
                S: 250-mx.test
                S: 250 PIPELINING
                C: MAIL FROM:<s@sender.test>
                C: RCPT TO:<a@dest.test>
                C: DATA
                S: 250 Ok
                S: 250 Ok
                S: 354 go ahead
                T:
                S: 250 2.0.0 Ok
                """);
        OutboundConnector connector = fixture.connector(OutboundFixture.settings(),
                new OpportunisticTls(trustingTheCert));

        OutboundConnection c = await(connector.connect(mx.address(), "mx.test", false));
        TransactionResult r = await(c.send(OutboundMessage.of("s@sender.test", List.of("a@dest.test"),
                fixture.body(text), false, false)));

        assertThat(c.tlsActive()).isTrue();
        assertThat(c.tlsPeerVerified()).isTrue();
        assertThat(c.tlsSession().state()).isEqualTo("verified");
        assertThat(c.tlsSession().version()).startsWith("TLSv1.");
        assertThat(c.capabilities().startTls()).isFalse();
        assertThat(c.capabilities().size()).isFalse();
        assertThat(r.isDelivered(0)).isTrue();
        await(c.quit());
        mx.assertPlayed();
        assertThat(new String(mx.session(0).texts.get(0), StandardCharsets.UTF_8))
                .isEqualTo("Subject: secret\r\n\r\n..hidden\r\n");
    }

    @Test
    void shouldUseTlsWithAnUntrustedCertificate() throws Exception {
        mx = ScriptedMx.startTls("127.0.0.2", serverTls, EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                !tls
                C: EHLO sluice.test
                S: 250 mx.test
                """);

        OutboundConnection c = await(fixture.connector().connect(mx.address(), "mx.test", false));

        assertThat(c.tlsActive()).isTrue();
        assertThat(c.tlsPeerVerified()).isFalse();
        assertThat(c.tlsSession().state()).isEqualTo("encrypted");
        assertThat(c.tlsSession().cipher()).isNotBlank();
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldReportTlsFailedAndConnectInClearTextWhenTlsIsDisabledForTheSite() throws Exception {
        mx = ScriptedMx.startTls("127.0.0.2", serverTls, EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                !garbage
                """, EHLO_STARTTLS);
        OutboundConnector connector = fixture.connector();

        OutboundException e = failure(connector.connect(mx.address(), "mx.test", false));
        OutboundConnection retry = await(connector.connect(mx.address(), "mx.test", true));

        assertThat(e.kind()).isEqualTo(FailureKind.TLS_FAILED);
        assertThat(e.stage()).isEqualTo(Stage.TLS_HANDSHAKE);
        assertThat(retry.tlsActive()).isFalse();
        assertThat(retry.isUsable()).isTrue();
        await(retry.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldFailTemporarilyWhenTlsIsRequiredAndNotOffered() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", """
                S: 220 mx.test ESMTP
                C: EHLO sluice.test
                S: 250-mx.test
                S: 250 PIPELINING
                C: QUIT
                """);
        OutboundConnector connector = fixture.connector(OutboundFixture.settings(OutboundTls.REQUIRED,
                OutboundFixture.NORMAL, OutboundFixture.NORMAL, null));

        OutboundException e = failure(connector.connect(mx.address(), "mx.test", true));

        assertThat(e.kind()).isEqualTo(FailureKind.TLS_UNAVAILABLE);
        mx.assertPlayed();
    }

    @Test
    void shouldContinueInClearTextWhenStartTlsIsRefused() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", EHLO_STARTTLS + """
                C: STARTTLS
                S: 454 4.7.0 TLS not available due to temporary reason
                """);

        OutboundConnection c = await(fixture.connector().connect(mx.address(), "mx.test", false));

        assertThat(c.tlsActive()).isFalse();
        assertThat(c.capabilities().maxSize()).isEqualTo(1000);
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldRejectRepliesInjectedAfterTheStartTlsReply() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                S: 250 injected in clear text
                !sleep 300
                !close
                """);

        OutboundException e = failure(fixture.connector().connect(mx.address(), "mx.test", false));

        assertThat(e.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
        mx.assertPlayed();
    }

    @Test
    void shouldDeliverWithVerifyWhenTheChainIsTrustedAndNamesTheHost() throws Exception {
        mx = ScriptedMx.startTls("127.0.0.2", serverTls, EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                !tls
                C: EHLO sluice.test
                S: 250 mx.test
                """);
        OutboundConnector connector = fixture.connector(OutboundFixture.settings(OutboundTls.VERIFY,
                OutboundFixture.NORMAL, OutboundFixture.NORMAL, null), new OpportunisticTls(trustingTheCert));

        OutboundConnection c = await(connector.connect(mx.address(), "MX.test.", false));

        assertThat(c.tlsActive()).isTrue();
        assertThat(c.tlsSession().state()).isEqualTo("verified");
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldFailVerifyForAnUntrustedChainOrAnotherNameAndNeverFallBackToClearText() throws Exception {
        String handshake = EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                !tls
                C: QUIT
                """;
        mx = ScriptedMx.startTls("127.0.0.2", serverTls, handshake, handshake);
        DeliverySettings verify = OutboundFixture.settings(OutboundTls.VERIFY, OutboundFixture.NORMAL,
                OutboundFixture.NORMAL, null);

        OutboundException untrusted = failure(fixture.connector(verify).connect(mx.address(), "mx.test", true));
        OutboundException otherName = failure(fixture.connector(verify, new OpportunisticTls(trustingTheCert))
                .connect(mx.address(), "mx2.test", true));

        assertThat(untrusted.kind()).isEqualTo(FailureKind.TLS_UNVERIFIED);
        assertThat(untrusted.getMessage()).contains("tls: verify").contains("does not validate");
        assertThat(otherName.kind()).isEqualTo(FailureKind.TLS_UNVERIFIED);
        assertThat(otherName.getMessage()).contains("mx2.test").contains("does not name it");
        mx.assertPlayed();
    }

    @Test
    void shouldMatchHostNamesAsRfc6125Says() {
        assertThat(matches("*.example.com", "mx1.example.com")).isTrue();
        assertThat(matches("*.example.com", "a.mx1.example.com")).as("one label only").isFalse();
        assertThat(matches("*.example.com", "example.com")).isFalse();
        assertThat(matches("mx.example.com", "MX.Example.com.")).isTrue();
    }

    private static boolean matches(String pattern, String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return io.sluice.util.HostPattern.matches(pattern, h.endsWith(".") ? h.substring(0, h.length() - 1) : h);
    }

    @Test
    void shouldVerifyBySubjectAltNamesAndIgnoreTheCommonNameWhenThereAreSome() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir, "cn-only.test", "mx1.test, *.pool.test");
        SSLContext sanTls = ((JdkSslContext) SslContextBuilder.forServer(pem.cert().toFile(), pem.key().toFile())
                .sslProvider(SslProvider.JDK).build()).context();
        String handshake = EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                !tls
                """;
        mx = ScriptedMx.startTls("127.0.0.2", sanTls, handshake + """
                C: EHLO sluice.test
                S: 250 mx.test
                """, handshake + """
                C: EHLO sluice.test
                S: 250 mx.test
                """, handshake + "C: QUIT\n", handshake + "C: QUIT\n");
        DeliverySettings verify = OutboundFixture.settings(OutboundTls.VERIFY, OutboundFixture.NORMAL,
                OutboundFixture.NORMAL, null);
        OutboundConnector connector = fixture.connector(verify, OpportunisticTls.fromCaFile(pem.cert()));

        OutboundConnection byName = await(connector.connect(mx.address(), "MX1.test.", false));
        OutboundConnection byWildcard = await(connector.connect(mx.address(), "a.pool.test", false));
        OutboundException cn = failure(connector.connect(mx.address(), "cn-only.test", false));
        OutboundException deep = failure(connector.connect(mx.address(), "a.b.pool.test", false));

        assertThat(byName.tlsSession().state()).isEqualTo("verified");
        assertThat(byWildcard.tlsSession().state()).isEqualTo("verified");
        assertThat(cn.kind()).as("the CN does not count beside DNS names").isEqualTo(FailureKind.TLS_UNVERIFIED);
        assertThat(deep.kind()).as("a wildcard is one label").isEqualTo(FailureKind.TLS_UNVERIFIED);
        await(byName.quit());
        await(byWildcard.quit());
    }
}
