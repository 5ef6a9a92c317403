package io.sluice.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scheduler.GivenUp;
import org.junit.jupiter.api.Test;

/** How a given-up recipient becomes a DSN's Status and Diagnostic-Code. */
class DsnMessageTest {
    private static GivenUp givenUp(boolean expired, int code, String status, String text) {
        return new GivenUp(1, 0, 0, "a@dest.test", expired, code, status, text, "mx1.dest.test", 1, 0);
    }

    /** A reason Sluice decided itself: no MX host said it. */
    private static GivenUp own(boolean expired, int code, String status, String text) {
        return new GivenUp(1, 0, 0, "a@dest.test", expired, code, status, text, null, 1, 0);
    }

    @Test
    void shouldKeepAWellFormedEnhancedStatus() {
        assertThat(DsnMessage.status(givenUp(false, 556, "5.1.10", "Recipient address has null MX")))
                .isEqualTo("5.1.10");
    }

    @Test
    void shouldFallBackToTheReplyClassOrExpiryWhenTheStatusIsMissingOrMalformed() {
        assertThat(DsnMessage.status(givenUp(false, 550, null, "no"))).isEqualTo("5.0.0");
        assertThat(DsnMessage.status(givenUp(false, 554, "5.x.1", "no"))).isEqualTo("5.0.0");
        assertThat(DsnMessage.status(givenUp(false, 452, null, "full"))).isEqualTo("4.0.0");
        assertThat(DsnMessage.status(givenUp(true, 0, null, "expired"))).isEqualTo("4.4.7");
    }

    @Test
    void shouldWriteCodeStatusAndTextOnceEach() {
        assertThat(DsnMessage.diagnostic(givenUp(false, 550, "5.1.1", "5.1.1 no such user")))
                .isEqualTo("550 5.1.1 no such user");
        assertThat(DsnMessage.diagnostic(givenUp(false, 550, "5.1.2", "Domain nowhere.test does not exist")))
                .isEqualTo("550 5.1.2 Domain nowhere.test does not exist");
        assertThat(DsnMessage.diagnostic(givenUp(false, 550, null, null))).isEqualTo("550");
    }

    @Test
    void shouldUseTheSchedulersExplanationWhenThereWasNoReply() {
        assertThat(DsnMessage.diagnostic(own(true, 0, "4.4.7", "Message expired: max_age reached")))
                .isEqualTo("Message expired: max_age reached");
        assertThat(DsnMessage.diagnostic(own(true, 0, "4.4.7", " "))).isNull();
    }

    @Test
    void shouldReportAReasonSluiceDecidedWithoutAReplyCodeNoServerSent() {
        assertThat(DsnMessage.diagnostic(own(false, 552, "5.3.4",
                "5.3.4 message size 2000 exceeds size limit 1000 of server mx1.dest.test")))
                .isEqualTo("5.3.4 message size 2000 exceeds size limit 1000 of server mx1.dest.test");
        assertThat(DsnMessage.diagnostic(own(false, 550, "5.1.2", "Domain nowhere.test does not exist")))
                .isEqualTo("5.1.2 Domain nowhere.test does not exist");
    }

    @Test
    void shouldReportTheLastRemoteReplyOfAnExpiredRecipientWithItsHost() throws Exception {
        Original original = new Original("app@client.test", 1_795_000_000_000L,
                "Subject: late".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        GivenUp expired = givenUp(true, 451, "4.2.0", "4.2.0 mailbox busy, try later");
        String dsn = new String(DsnMessage.build(2, "mx.sluice.test", 1, original,
                java.util.List.of(expired), 1_795_400_000_000L).body().array(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dsn).contains("Status: 4.2.0\r\n", "Remote-MTA: dns; mx1.dest.test\r\n",
                "Diagnostic-Code: smtp; 451 4.2.0 mailbox busy, try later\r\n",
                "mx1.dest.test said: 451 4.2.0 mailbox busy, try later",
                "retried until the message expired")
                .doesNotContain("GMT").containsPattern("\\r\\nDate: [A-Z][a-z]{2}, \\d+ [A-Z][a-z]{2} \\d{4} "
                        + "\\d\\d:\\d\\d:\\d\\d \\+0000\\r\\n")
                .contains("Arrival-Date: Wed, 18 Nov 2026 11:06:40 +0000",
                        "Last-Attempt-Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n");
    }
}
