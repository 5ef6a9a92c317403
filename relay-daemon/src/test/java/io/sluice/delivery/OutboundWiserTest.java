package io.sluice.delivery;

import static io.sluice.delivery.OutboundFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

/**
 * Delivery to a real SMTP sink (SubEthaSMTP's Wiser) on loopback addresses other than 127.0.0.1, as MX hosts in
 * the lab: exact bytes after the dot-stuffing round trip, several recipients in one transaction, several messages
 * on one connection.
 */
class OutboundWiserTest {
    /** Lines that start with dots, a line of only a dot, an empty line, 8-bit text: all must arrive unchanged. */
    private static final String TEXT = "Received: from app.test by sluice.test\r\n"
            + "Subject: round trip\r\n"
            + "Message-ID: <1@sluice.test>\r\n"
            + "\r\n"
            + ".leading dot\r\n"
            + ".\r\n"
            + "..two dots\r\n"
            + "\r\n"
            + "a line with . and .. inside.\r\n"
            + "caf\u00e9 cr\u00e8me\r\n"
            + ". \r\n";

    private final OutboundFixture fixture = new OutboundFixture();
    private final AtomicInteger sessions = new AtomicInteger();
    private Wiser wiser;

    private Wiser start(String address) throws Exception {
        SMTPServer.Builder server = new SMTPServer.Builder()
                .bindAddress(InetAddress.getByName(address))
                .port(0)
                .hostName("mx." + address + ".test")
                .insertReceivedHeaders(false)
                .sessionHandler(new SessionHandler() {
                    @Override
                    public SessionAcceptance accept(Session session) {
                        sessions.incrementAndGet();
                        return SessionAcceptance.success();
                    }

                    @Override
                    public void onSessionEnd(Session session) {
                    }
                });
        wiser = Wiser.create(server);
        wiser.start();
        return wiser;
    }

    private InetSocketAddress address(String host) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), wiser.getServer().getPortAllocated());
    }

    @AfterEach
    void tearDown() {
        if (wiser != null) {
            wiser.stop();
        }
        fixture.close();
    }

    @Test
    void shouldDeliverTheExactBytesThroughDotStuffing() throws Exception {
        start("127.0.0.2");
        OutboundConnection c = await(fixture.connector().connect(address("127.0.0.2"), "mx.127.0.0.2.test", false));
        ByteBuf body = fixture.body(TEXT);

        TransactionResult r = await(c.send(OutboundMessage.of("s@sender.test", List.of("a@dest.test"), body, false,
                true)));

        assertThat(r.isDelivered(0)).as("%s", r).isTrue();
        assertThat(body.refCnt()).isEqualTo(1);
        assertThat(body.readableBytes()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8).length);
        await(c.quit());
        List<WiserMessage> messages = wiser.getMessages();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).getData()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
        assertThat(messages.get(0).getEnvelopeSender()).isEqualTo("s@sender.test");
    }

    @Test
    void shouldDeliverToSeveralRecipientsInOneTransaction() throws Exception {
        start("127.0.0.3");
        OutboundConnection c = await(fixture.connector().connect(address("127.0.0.3"), "mx.127.0.0.3.test", false));

        TransactionResult r = await(c.send(OutboundMessage.of("", List.of("a@dest.test", "b@dest.test",
                "c@other.test"), fixture.body(TEXT), false, true)));

        for (int i = 0; i < 3; i++) {
            assertThat(r.isDelivered(i)).isTrue();
        }
        assertThat(c.deliveries()).isEqualTo(1);
        await(c.quit());
        assertThat(wiser.getMessages()).extracting(WiserMessage::getEnvelopeReceiver)
                .containsExactly("a@dest.test", "b@dest.test", "c@other.test");
        assertThat(wiser.getMessages()).allSatisfy(m ->
                assertThat(m.getData()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8)));
        assertThat(sessions.get()).isEqualTo(1);
    }

    @Test
    void shouldReuseOneConnectionForSeveralMessages() throws Exception {
        start("127.0.0.2");
        OutboundConnection c = await(fixture.connector().connect(address("127.0.0.2"), "mx.127.0.0.2.test", false));

        for (int i = 0; i < 5; i++) {
            String text = "Subject: message " + i + "\r\n\r\n.body " + i + "\r\n";
            TransactionResult r = await(c.send(OutboundMessage.of("s@sender.test", List.of("r" + i + "@dest.test"),
                    fixture.body(text), false, false)));
            assertThat(r.isDelivered(0)).isTrue();
            assertThat(await(c.reset()).code()).isEqualTo(250);
        }

        assertThat(c.deliveries()).isEqualTo(5);
        assertThat(c.isUsable()).isTrue();
        await(c.quit());
        assertThat(sessions.get()).isEqualTo(1);
        assertThat(wiser.getMessages()).hasSize(5);
        assertThat(new String(wiser.getMessages().get(3).getData(), StandardCharsets.UTF_8))
                .isEqualTo("Subject: message 3\r\n\r\n.body 3\r\n");
    }
}
