package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.classify.Classifier;
import io.sluice.model.BounceReason;
import io.sluice.scheduler.RecipientResult;
import io.sluice.scheduler.TaskResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reasons the delivery stage gives failures that have no reply of their own: a connection that failed is
 * {@code networkerror} (not "blocked" for being at the connection stage, not "expired" for the words "timed out"),
 * TLS trouble {@code failedstarttls}, and a server's refusal quoted in Sluice's explanation is classified as the
 * connection stage's reply; a delivered recipient and an already classified one are left alone.
 */
class FailureReasonsTest {

    private static BounceReason reasonOf(String text) {
        TaskResult r = new TaskResult(1, TaskResult.SiteSignal.CONNECT_FAILED,
                List.of(RecipientResult.temporary(0, text)));
        return FailureReasons.classify(r, null, Classifier.builtIn()).recipients().get(0).reason();
    }

    @Test
    void shouldCallAConnectionThatFailedANetworkError() {
        assertThat(reasonOf("no MX host of dest.test took a connection: CONNECT_FAILED at CONNECT: connect to "
                + "127.0.0.21[/127.0.0.21:35245]: finishConnect(..) failed with error(-111): Connection refused"))
                .isEqualTo(BounceReason.NETWORK_ERROR);
        assertThat(reasonOf("no MX host of dest.test took a connection: TIMEOUT at GREETING: no greeting within "
                + "PT5M (connection timed out)")).isEqualTo(BounceReason.NETWORK_ERROR);
        assertThat(reasonOf("no MX host of dest.test took a connection: TLS_FAILED at TLS_HANDSHAKE: handshake "
                + "failed")).isEqualTo(BounceReason.FAILED_STARTTLS);
    }

    @Test
    void shouldClassifyARefusalTheServerGaveAtTheConnectionStage() {
        assertThat(reasonOf("no MX host of dest.test took a connection: REFUSED at GREETING: 554 5.7.1 Service "
                + "unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"))
                .isEqualTo(BounceReason.BLOCKED);
    }

    @Test
    void shouldLeaveDeliveriesAndClassifiedResultsAlone() {
        RecipientResult delivered = RecipientResult.delivered(250, "2.0.0", "ok");
        RecipientResult classified = RecipientResult.permanent(550, "5.1.1", "no such user")
                .classified(BounceReason.FILTERED, false);
        TaskResult r = new TaskResult(1, TaskResult.SiteSignal.CONNECTED, List.of(delivered, classified));
        assertThat(FailureReasons.classify(r, null, Classifier.builtIn())).isSameAs(r);
    }
}
