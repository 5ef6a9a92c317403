package io.sluice.delivery;

import static io.sluice.delivery.OutboundFixture.await;
import static io.sluice.delivery.OutboundFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.DeliverySettings.OutboundTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Opening sessions against a scripted next hop on loopback: greeting refusals and timeouts, the HELO fallback,
 * refused connects, the configured source address, QUIT.
 */
class OutboundSessionTest {
    private final OutboundFixture fixture = new OutboundFixture();
    private ScriptedMx mx;

    @AfterEach
    void tearDown() throws Exception {
        if (mx != null) {
            mx.close();
        }
        fixture.close();
    }

    @Test
    void shouldFailWithGreetingRejectedAndQuitOn421Greeting() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", """
                S: 421 4.3.2 mx.test busy, try again later
                C: QUIT
                """);

        OutboundException e = failure(fixture.connector().connect(mx.address(), "mx.test", false));

        assertThat(e.kind()).isEqualTo(FailureKind.GREETING_REJECTED);
        assertThat(e.stage()).isEqualTo(Stage.GREETING);
        assertThat(e.reply().code()).isEqualTo(421);
        assertThat(e.reply().enhancedStatus()).isEqualTo("4.3.2");
        mx.assertPlayed();
    }

    @Test
    void shouldFailWithGreetingRejectedOn554Greeting() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", """
                S: 554 5.7.1 no SMTP service here
                C: QUIT
                """);

        OutboundException e = failure(fixture.connector().connect(mx.address(), "mx.test", false));

        assertThat(e.kind()).isEqualTo(FailureKind.GREETING_REJECTED);
        assertThat(e.reply().code()).isEqualTo(554);
        mx.assertPlayed();
    }

    @Test
    void shouldTimeOutWhenTheGreetingNeverComes() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", "!sleep 1500");
        OutboundConnector connector = fixture.connector(OutboundFixture.settings(OutboundTls.OPPORTUNISTIC,
                OutboundFixture.SHORT, OutboundFixture.NORMAL, null));

        OutboundException e = failure(connector.connect(mx.address(), "mx.test", false));

        assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(e.stage()).isEqualTo(Stage.GREETING);
        mx.assertPlayed();
    }

    @Test
    void shouldFallBackToHeloWhenEhloGets5xxAndSendAsIs() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", """
                S: 220 mx.test SMTP
                C: EHLO sluice.test
                S: 502 5.5.2 Command not recognized
                C: HELO sluice.test
                S: 250 mx.test
                C! MAIL FROM:<s@sender.test>
                S: 250 Ok
                C! RCPT TO:<a@dest.test>
                S: 250 Ok
                C! DATA
                S: 354 go ahead
                T:
                S: 250 Ok
                """);
        OutboundConnection c = await(fixture.connector().connect(mx.address(), "mx.test", false));

        // 8-bit text to a next hop without 8BITMIME goes as-is, without a BODY= parameter.
        TransactionResult r = await(c.send(OutboundMessage.of("s@sender.test", List.of("a@dest.test"),
                fixture.body("Subject: x\r\n\r\ncafé\r\n"), false, true)));

        assertThat(c.capabilities().esmtp()).isFalse();
        assertThat(r.isDelivered(0)).isTrue();
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldFailWithHeloRejectedWhenEhloGets4xx() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", """
                S: 220 mx.test ESMTP
                C: EHLO sluice.test
                S: 450 4.7.1 Client host rejected: try later
                C: QUIT
                """);

        OutboundException e = failure(fixture.connector().connect(mx.address(), "mx.test", false));

        assertThat(e.kind()).isEqualTo(FailureKind.HELO_REJECTED);
        assertThat(e.reply().code()).isEqualTo(450);
        mx.assertPlayed();
    }

    @Test
    void shouldFailWithConnectFailedWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            port = s.getLocalPort();
        }

        OutboundException e = failure(fixture.connector().connect(
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port), "mx.test", false));

        assertThat(e.kind()).isEqualTo(FailureKind.CONNECT_FAILED);
        assertThat(e.stage()).isEqualTo(Stage.CONNECT);
    }

    @Test
    void shouldConnectFromTheConfiguredBindAddress() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", """
                S: 220 mx.test ESMTP
                C: EHLO sluice.test
                S: 250 mx.test
                """);
        OutboundConnector connector = fixture.connector(OutboundFixture.settings(OutboundTls.OPPORTUNISTIC,
                OutboundFixture.NORMAL, OutboundFixture.NORMAL, "127.0.0.5"));

        OutboundConnection c = await(connector.connect(mx.address(), "mx.test", false));

        assertThat(c.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.5");
        assertThat(c.greeting().code()).isEqualTo(220);
        assertThat(c.createdAtNanos()).isPositive();
        await(c.quit());
        assertThat(c.isUsable()).isFalse();
        mx.assertPlayed();
        assertThat(mx.session(0).remote.getAddress().getHostAddress()).isEqualTo("127.0.0.5");
        assertThat(mx.session(0).clientLines()).containsExactly("EHLO sluice.test", "QUIT");
    }

    @Test
    void shouldAnswerResetAndStayUsable() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", """
                S: 220 mx.test ESMTP
                C: EHLO sluice.test
                S: 250 mx.test
                C: RSET
                S: 250 2.0.0 Ok
                C: RSET
                S: 500 5.5.1 confused
                """);
        OutboundConnection c = await(fixture.connector().connect(mx.address(), "mx.test", false));

        SmtpReply ok = await(c.reset());
        boolean usableAfterOk = c.isUsable();
        SmtpReply bad = await(c.reset());

        assertThat(ok.code()).isEqualTo(250);
        assertThat(usableAfterOk).isTrue();
        assertThat(bad.code()).isEqualTo(500);
        assertThat(c.isUsable()).isFalse();
        assertThat(failure(c.reset()).kind()).isEqualTo(FailureKind.CONNECTION_LOST);
        mx.assertPlayed();
    }
}
