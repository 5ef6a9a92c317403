package io.sluice.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scheduler.GivenUp;
import org.junit.jupiter.api.Test;

/** How a given-up recipient becomes a DSN's Status and Diagnostic-Code. */
class DsnMessageTest {
    private static GivenUp givenUp(boolean expired, int code, String status, String text) {
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
        assertThat(DsnMessage.diagnostic(givenUp(true, 0, "4.4.7", "Message expired: max_age reached")))
                .isEqualTo("Message expired: max_age reached");
        assertThat(DsnMessage.diagnostic(givenUp(true, 0, "4.4.7", " "))).isNull();
    }
}
