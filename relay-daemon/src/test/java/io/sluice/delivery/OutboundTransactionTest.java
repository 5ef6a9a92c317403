package io.sluice.delivery;

import static io.sluice.delivery.OutboundFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.DeliverySettings.OutboundTls;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mail transactions against a scripted next hop over real loopback sockets: pipelining and lockstep, replies per
 * recipient, RSET instead of empty DATA, 5xx after the dot, 452 to MAIL, local 5.6.7 and 5.3.4 decisions, the
 * unknown outcome after a final-dot timeout, 421 and dropped connections.
 */
class OutboundTransactionTest {
    private static final String TEXT = "Subject: dots\r\n\r\n.leading\r\n.\r\nmiddle.dot\r\n";
    private static final String STUFFED = "Subject: dots\r\n\r\n..leading\r\n..\r\nmiddle.dot\r\n";
    private static final String EHLO_PIPELINING = """
            S: 220 mx.test ESMTP
            C: EHLO sluice.test
            S: 250-mx.test
            S: 250-PIPELINING
            S: 250-SIZE 10000000
            S: 250 8BITMIME
            """;
    private static final String EHLO_PLAIN = """
            S: 220 mx.test ESMTP
            C: EHLO sluice.test
            S: 250 mx.test
            """;

    private final OutboundFixture fixture = new OutboundFixture();
    private ScriptedMx mx;

    @AfterEach
    void tearDown() throws Exception {
        if (mx != null) {
            mx.close();
        }
        fixture.close();
    }

    private OutboundConnection connect(String script) throws Exception {
        mx = ScriptedMx.start("127.0.0.2", script);
        return await(fixture.connector().connect(mx.address(), "mx.test", false));
    }

    private OutboundMessage message(String sender, String... recipients) {
        return OutboundMessage.of(sender, List.of(recipients), fixture.body(TEXT), false, false);
    }

    @Test
    void shouldPipelineMailRcptAndDataAndReportEachRecipient() throws Exception {
        OutboundConnection c = connect(EHLO_PIPELINING + """
                C: MAIL FROM:<s@sender.test> SIZE=%d
                C: RCPT TO:<a@dest.test>
                C: RCPT TO:<b@dest.test>
                C: RCPT TO:<c@dest.test>
                C: DATA
                S: 250 2.1.0 Ok
                S: 250 2.1.5 Ok
                S: 451 4.2.1 Try again later
                S: 550 5.1.1 No such user
                S: 354 End data with <CR><LF>.<CR><LF>
                T:
                S: 250 2.0.0 Ok: queued as 1
                """.formatted(TEXT.length()));
        assertThat(c.capabilities().pipelining()).isTrue();

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test", "b@dest.test", "c@dest.test")));

        assertThat(r.status(0)).isEqualTo(RecipientStatus.DELIVERED);
        assertThat(r.reply(0).enhancedStatus()).isEqualTo("2.0.0");
        assertThat(r.status(1)).isEqualTo(RecipientStatus.TEMPORARY);
        assertThat(r.reply(1).code()).isEqualTo(451);
        assertThat(r.reply(1).enhancedStatus()).isEqualTo("4.2.1");
        assertThat(r.isPermanent(2)).isTrue();
        assertThat(r.reply(2).enhancedStatus()).isEqualTo("5.1.1");
        assertThat(r.failure()).isNull();
        assertThat(r.textSent()).isTrue();
        assertThat(c.deliveries()).isEqualTo(1);
        await(c.quit());
        mx.assertPlayed();
        assertThat(new String(mx.session(0).texts.get(0), StandardCharsets.UTF_8)).isEqualTo(STUFFED);
    }

    @Test
    void shouldSendInLockstepWithoutPipelining() throws Exception {
        OutboundConnection c = connect(EHLO_PLAIN + """
                C! MAIL FROM:<s@sender.test>
                S: 250 2.1.0 Ok
                C! RCPT TO:<a@dest.test>
                S: 250 2.1.5 Ok
                C! RCPT TO:<b@dest.test>
                S: 250 2.1.5 Ok
                C! DATA
                S: 354 go ahead
                T:
                S: 250 2.0.0 Ok
                """);

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test", "b@dest.test")));

        assertThat(r.isDelivered(0)).isTrue();
        assertThat(r.isDelivered(1)).isTrue();
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldSendRsetInsteadOfDataWhenNoRecipientIsAcceptedAndReuseTheConnection() throws Exception {
        OutboundConnection c = connect(EHLO_PLAIN + """
                C! MAIL FROM:<s@sender.test>
                S: 250 Ok
                C! RCPT TO:<a@dest.test>
                S: 550 5.1.1 Unknown user
                C! RCPT TO:<b@dest.test>
                S: 450 4.2.0 Greylisted
                C: RSET
                S: 250 2.0.0 Ok
                C: MAIL FROM:<s@sender.test>
                S: 250 Ok
                C: RCPT TO:<c@dest.test>
                S: 250 Ok
                C: DATA
                S: 354 go ahead
                T:
                S: 250 2.0.0 Ok
                """);

        TransactionResult first = await(c.send(message("s@sender.test", "a@dest.test", "b@dest.test")));
        TransactionResult second = await(c.send(message("s@sender.test", "c@dest.test")));

        assertThat(first.isPermanent(0)).isTrue();
        assertThat(first.isTemporary(1)).isTrue();
        assertThat(first.textSent()).isFalse();
        assertThat(first.dataReply()).isNull();
        assertThat(second.isDelivered(0)).isTrue();
        assertThat(c.deliveries()).isEqualTo(2);
        await(c.quit());
        mx.assertPlayed();
        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void shouldResetAfterPipelinedDataIsRefusedForLackOfRecipients() throws Exception {
        OutboundConnection c = connect(EHLO_PIPELINING + """
                C: MAIL FROM:<> SIZE=%d
                C: RCPT TO:<a@dest.test>
                C: DATA
                S: 250 2.1.0 Ok
                S: 550 5.1.1 Unknown user
                S: 554 5.5.1 Error: no valid recipients
                C: RSET
                S: 250 2.0.0 Ok
                """.formatted(TEXT.length()));

        TransactionResult r = await(c.send(message("", "a@dest.test")));

        assertThat(r.isPermanent(0)).isTrue();
        assertThat(r.reply(0).enhancedStatus()).isEqualTo("5.1.1");
        assertThat(r.dataReply().code()).isEqualTo(554);
        assertThat(r.textSent()).isFalse();
        assertThat(c.isUsable()).isTrue();
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldEndDataWithALoneDotWhenServerSays354WithoutRecipients() throws Exception {
        OutboundConnection c = connect(EHLO_PIPELINING + """
                C: MAIL FROM:<s@sender.test> SIZE=%d
                C: RCPT TO:<a@dest.test>
                C: DATA
                S: 250 Ok
                S: 550 5.1.1 Unknown user
                S: 354 go ahead anyway
                C: .
                S: 554 5.5.1 No valid recipients
                C: RSET
                S: 250 Ok
                """.formatted(TEXT.length()));

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test")));

        assertThat(r.isPermanent(0)).isTrue();
        assertThat(r.textSent()).isFalse();
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldBounceEveryAcceptedRecipientOn5xxAfterTheDot() throws Exception {
        OutboundConnection c = connect(EHLO_PIPELINING + """
                C: MAIL FROM:<s@sender.test> SIZE=%d
                C: RCPT TO:<a@dest.test>
                C: RCPT TO:<b@dest.test>
                C: DATA
                S: 250 Ok
                S: 250 Ok
                S: 250 Ok
                S: 354 go ahead
                T:
                S: 554 5.7.1 Message rejected as spam
                """.formatted(TEXT.length()));

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test", "b@dest.test")));

        for (int i = 0; i < 2; i++) {
            assertThat(r.isPermanent(i)).isTrue();
            assertThat(r.reply(i).enhancedStatus()).isEqualTo("5.7.1");
        }
        assertThat(c.isUsable()).isTrue();
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldDeferEveryRecipientOn452ToMailWithoutSendingRcpt() throws Exception {
        OutboundConnection c = connect(EHLO_PLAIN + """
                C! MAIL FROM:<s@sender.test>
                S: 452 4.3.1 Insufficient system storage
                """);

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test", "b@dest.test")));

        assertThat(r.isTemporary(0)).isTrue();
        assertThat(r.isTemporary(1)).isTrue();
        assertThat(r.reply(1).code()).isEqualTo(452);
        assertThat(r.recipientReplies()).containsOnlyNulls();
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldBounceWith567WithoutSendingWhenSmtpUtf8IsMissing() throws Exception {
        OutboundConnection c = connect(EHLO_PIPELINING);

        TransactionResult flagged = await(c.send(OutboundMessage.of("s@sender.test", List.of("a@dest.test"),
                fixture.body(TEXT), true, false)));
        TransactionResult utf8Address = await(c.send(message("s@sender.test", "zoë@dest.test")));

        assertThat(flagged.isPermanent(0)).isTrue();
        assertThat(flagged.reply(0).enhancedStatus()).isEqualTo("5.6.7");
        assertThat(flagged.reply(0).isLocal()).isTrue();
        assertThat(utf8Address.reply(0).enhancedStatus()).isEqualTo("5.6.7");
        assertThat(c.isUsable()).isTrue();
        assertThat(c.deliveries()).isZero();
        await(c.quit());
        mx.assertPlayed();
        assertThat(mx.session(0).clientLines()).containsExactly("EHLO sluice.test", "QUIT");
    }

    @Test
    void shouldSendInternationalDomainsAsALabelsWhenSmtpUtf8IsMissing() throws Exception {
        OutboundConnection c = connect(EHLO_PLAIN + """
                C! MAIL FROM:<s@xn--mnchen-3ya.test>
                S: 250 2.1.0 Ok
                C! RCPT TO:<user@xn--hxajbheg2az3al.test>
                S: 250 2.1.5 Ok
                C! RCPT TO:<"a b"@dest.test>
                S: 250 2.1.5 Ok
                C! DATA
                S: 354 go ahead
                T:
                S: 250 2.0.0 Ok
                """);

        TransactionResult r = await(c.send(message("s@münchen.test", "user@παράδειγμα.test", "\"a b\"@dest.test")));

        assertThat(r.isDelivered(0)).isTrue();
        assertThat(r.isDelivered(1)).isTrue();
        assertThat(r.recipients()).as("results keep the addresses as received")
                .containsExactly("user@παράδειγμα.test", "\"a b\"@dest.test");
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldSendInternationalDomainsAsReceivedWhenSmtpUtf8IsOffered() throws Exception {
        OutboundConnection c = connect("""
                S: 220 mx.test ESMTP
                C: EHLO sluice.test
                S: 250-mx.test
                S: 250-PIPELINING
                S: 250 SMTPUTF8
                C: MAIL FROM:<s@sender.test> SMTPUTF8
                C: RCPT TO:<user@παράδειγμα.test>
                C: DATA
                S: 250 Ok
                S: 250 Ok
                S: 354 go ahead
                T:
                S: 250 2.0.0 Ok
                """);

        TransactionResult r = await(c.send(message("s@sender.test", "user@παράδειγμα.test")));

        assertThat(r.isDelivered(0)).isTrue();
        await(c.quit());
        mx.assertPlayed();
    }

    @Test
    void shouldBounceWith534WithoutSendingWhenOverTheSizeLimit() throws Exception {
        OutboundConnection c = connect("""
                S: 220 mx.test ESMTP
                C: EHLO sluice.test
                S: 250-mx.test
                S: 250 SIZE 20
                """);

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test")));

        assertThat(r.isPermanent(0)).isTrue();
        assertThat(r.reply(0).code()).isEqualTo(552);
        assertThat(r.reply(0).enhancedStatus()).isEqualTo("5.3.4");
        await(c.quit());
        mx.assertPlayed();
        assertThat(mx.session(0).clientLines()).containsExactly("EHLO sluice.test", "QUIT");
    }

    @Test
    void shouldDeclareSize8BitMimeAndSmtpUtf8WhenOffered() throws Exception {
        String text = "Subject: grüße\r\n\r\nçà et là\r\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        OutboundConnection c = connect("""
                S: 220 mx.test ESMTP
                C: EHLO sluice.test
                S: 250-mx.test
                S: 250-PIPELINING
                S: 250-SIZE 1000
                S: 250-8BITMIME
                S: 250 SMTPUTF8
                C: MAIL FROM:<jörg@sender.test> SIZE=%d BODY=8BITMIME SMTPUTF8
                C: RCPT TO:<zoë@dest.test>
                C: DATA
                S: 250 Ok
                S: 250 Ok
                S: 354 go ahead
                T:
                S: 250 2.0.0 Ok
                """.formatted(bytes.length));

        TransactionResult r = await(c.send(OutboundMessage.of("jörg@sender.test", List.of("zoë@dest.test"),
                fixture.body(text), true, true)));

        assertThat(r.isDelivered(0)).isTrue();
        await(c.quit());
        mx.assertPlayed();
        assertThat(mx.session(0).texts.get(0)).isEqualTo(bytes);
    }

    @Test
    void shouldReportUnknownAfterDotWhenTheFinalReplyTimesOut() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", EHLO_PIPELINING + """
                C: MAIL FROM:<s@sender.test> SIZE=%d
                C: RCPT TO:<a@dest.test>
                C: DATA
                S: 250 Ok
                S: 250 Ok
                S: 354 go ahead
                T:
                !sleep 1500
                """.formatted(TEXT.length()));
        OutboundConnector connector = fixture.connector(OutboundFixture.settings(OutboundTls.OPPORTUNISTIC,
                OutboundFixture.NORMAL, OutboundFixture.SHORT, null));
        OutboundConnection c = await(connector.connect(mx.address(), "mx.test", false));

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test")));

        assertThat(r.failure()).isEqualTo(FailureKind.UNKNOWN_AFTER_DOT);
        assertThat(r.status(0)).isEqualTo(RecipientStatus.UNKNOWN);
        assertThat(r.isUnknown(0)).isTrue();
        assertThat(r.isTemporary(0)).isTrue();
        assertThat(r.textSent()).isTrue();
        assertThat(c.isUsable()).isFalse();
        mx.assertPlayed();
    }

    @Test
    void shouldReportAPlainTimeoutWhenARcptReplyNeverComes() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", EHLO_PLAIN + """
                C: MAIL FROM:<s@sender.test>
                S: 250 Ok
                C: RCPT TO:<a@dest.test>
                !sleep 1500
                """);
        OutboundConnector connector = fixture.connector(OutboundFixture.settings(OutboundTls.OPPORTUNISTIC,
                OutboundFixture.SHORT, OutboundFixture.NORMAL, null));
        OutboundConnection c = await(connector.connect(mx.address(), "mx.test", false));

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test")));

        assertThat(r.failure()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(r.status(0)).isEqualTo(RecipientStatus.TEMPORARY);
        assertThat(r.reply(0).text()).contains("RCPT");
        assertThat(c.isUsable()).isFalse();
        mx.assertPlayed();
    }

    @Test
    void shouldDeferAndNeverReuseWhenTheConnectionDropsBeforeData() throws Exception {
        OutboundConnection c = connect(EHLO_PIPELINING + """
                C: MAIL FROM:<s@sender.test> SIZE=%d
                C: RCPT TO:<a@dest.test>
                C: DATA
                S: 250 Ok
                !close
                """.formatted(TEXT.length()));

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test")));
        TransactionResult again = await(c.send(message("s@sender.test", "a@dest.test")));

        assertThat(r.failure()).isEqualTo(FailureKind.CONNECTION_LOST);
        assertThat(r.status(0)).isEqualTo(RecipientStatus.TEMPORARY);
        assertThat(r.textSent()).isFalse();
        assertThat(c.isUsable()).isFalse();
        assertThat(again.failure()).isEqualTo(FailureKind.CONNECTION_LOST);
        assertThat(again.isTemporary(0)).isTrue();
        mx.assertPlayed();
        assertThat(mx.connections()).isEqualTo(1);
    }

    @Test
    void shouldGiveThe421ToEveryRecipientWithoutAReplyWhenTheServerCloses() throws Exception {
        OutboundConnection c = connect(EHLO_PIPELINING + """
                C: MAIL FROM:<s@sender.test> SIZE=%d
                C: RCPT TO:<a@dest.test>
                C: RCPT TO:<b@dest.test>
                C: DATA
                S: 250 Ok
                S: 421 4.7.0 mx.test closing connection
                !close
                """.formatted(TEXT.length()));

        TransactionResult r = await(c.send(message("s@sender.test", "a@dest.test", "b@dest.test")));

        assertThat(r.failure()).isEqualTo(FailureKind.CONNECTION_LOST);
        assertThat(r.reply(0).code()).isEqualTo(421);
        assertThat(r.reply(1).code()).isEqualTo(421);
        assertThat(r.isTemporary(1)).isTrue();
        assertThat(c.isUsable()).isFalse();
        mx.assertPlayed();
    }
}
