package io.sluice.bounce.intake;

import io.sluice.model.VerpCodec;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.classify.Classifier;
import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.metrics.FeedbackMetrics.Result;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.model.BounceReason;
import io.sluice.suppression.SuppressionList;
import io.sluice.suppression.SuppressionScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake's decisions with a real index, suppression list and classifier: matching by Message-ID, by a VERP
 * return path quoted in a report, and what is ignored or left unmatched.
 */
class FeedbackMatcherTest {
    private static final long NOW = 1_780_000_000_000L;
    private static final String FEEDBACK = "fbl@fbl.sluice.test";

    @TempDir
    Path dir;

    private final VerpCodec verp = new VerpCodec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    private FeedbackIndex index;
    private SuppressionList suppression;
    private FeedbackMatcher matcher;

    @BeforeEach
    void open() throws Exception {
        index = FeedbackIndex.open(dir.resolve("index"), 30, () -> NOW);
        suppression = SuppressionList.open(dir.resolve("suppression.log"));
        SluiceMetrics metrics = new SluiceMetrics();
        matcher = new FeedbackMatcher(verp, index, Classifier::builtIn,
                () -> List.of("bounces.sluice.test", "fbl.sluice.test"), suppression, events::add,
                metrics.feedback(), metrics.bounces());
    }

    @AfterEach
    void close() throws Exception {
        index.close();
        suppression.close();
    }

    @Test
    void shouldMatchANonStandardBounceByTheQuotedMessageId() throws Exception {
        index.record(1, "news@client.test", "<m1@client.test>", List.of("a@dest.test", "b@dest.test"),
                new int[] {0, 1});
        String qmail = "From: MAILER-DAEMON@mx.dest.test\r\nTo: news@client.test\r\n"
                + "Subject: failure notice\r\n\r\n"
                + "Hi. This is the qmail-send program at mx.dest.test.\r\n"
                + "I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
                + "This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n"
                + "<b@dest.test>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n"
                + "--- Below this line is a copy of the message.\r\n\r\n"
                + "Message-ID: <m1@client.test>\r\nFrom: news@client.test\r\nSubject: news\r\n\r\nhello\r\n";
        assertThat(take(qmail)).isEqualTo(Result.BOUNCE);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.ASYNC_BOUNCE);
            assertThat(e.recipient()).isEqualTo("b@dest.test");
            assertThat(e.reason()).isEqualTo("userunknown");
        });
        assertThat(suppression.find(SuppressionScope.GLOBAL, "", "b@dest.test", NOW))
                .isEqualTo(BounceReason.USER_UNKNOWN);
        assertThat(suppression.find(SuppressionScope.GLOBAL, "", "a@dest.test", NOW)).isNull();
    }

    @Test
    void shouldNotSuppressForASoftBounceNorActOnDelayNoticesOrAutoReplies() throws Exception {
        index.record(1, "news@client.test", "<m1@client.test>", List.of("a@dest.test"), new int[] {0});
        String path = verp.returnPath(1, 0, "a@dest.test", "bounces.sluice.test");
        assertThat(take(FeedbackLoopEndToEndTest.dsn(path, "a@dest.test").replace("Action: failed",
                "Action: delayed").replace("Status: 5.1.1", "Status: 4.2.2"), path)).isEqualTo(Result.IGNORED);
        assertThat(take(FeedbackLoopEndToEndTest.dsn(path, "a@dest.test")
                .replace("Status: 5.1.1", "Status: 5.2.2")
                .replace("550 5.1.1 <a@dest.test>: Recipient address rejected: User unknown",
                        "552 5.2.2 Mailbox full"), path)).isEqualTo(Result.BOUNCE);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("mailboxfull"));
        assertThat(suppression.size()).isZero();
        String vacation = "From: a@dest.test\r\nTo: " + path + "\r\nSubject: Out of office\r\n"
                + "Auto-Submitted: auto-replied\r\n\r\nI am away until Monday.\r\n";
        assertThat(take(vacation, path)).isEqualTo(Result.IGNORED);
    }

    @Test
    void shouldMatchAComplaintThroughTheVerpReturnPathItQuotesEvenWhenTheRecipientIsRedacted() throws Exception {
        index.record(5, "news@client.test", "<m5@client.test>", List.of("a@dest.test", "b@dest.test"),
                new int[] {0, 1});
        String path = verp.returnPath(5, 1, "b@dest.test", "bounces.sluice.test");
        String redacted = FeedbackLoopEndToEndTest.arf("redacted@dest.test", "<m5@client.test>")
                .replace("Original-Rcpt-To: redacted@dest.test\r\n", "")
                .replace("Content-Type: message/rfc822\r\n\r\n", "Content-Type: message/rfc822\r\n\r\n"
                        + "Return-Path: <" + path + ">\r\n");
        assertThat(take(redacted)).isEqualTo(Result.COMPLAINT);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.COMPLAINT);
            assertThat(e.recipient()).isEqualTo("b@dest.test");
        });
        assertThat(suppression.find(SuppressionScope.SENDER_DOMAIN, "client.test", "b@dest.test", NOW))
                .isEqualTo(BounceReason.FEEDBACK);
        assertThat(suppression.find(SuppressionScope.SENDER_DOMAIN, "other.test", "b@dest.test", NOW)).isNull();
    }

    @Test
    void shouldLeaveUnmatchedWhatNamesNoOneSentOrCannotSayWhoComplained() throws Exception {
        index.record(6, "news@client.test", "<m6@client.test>", List.of("a@dest.test", "b@dest.test"),
                new int[] {0, 1});
        String redacted = FeedbackLoopEndToEndTest.arf("x@dest.test", "<m6@client.test>")
                .replace("Original-Rcpt-To: x@dest.test\r\n", "");
        assertThat(take(redacted)).as("two recipients, none named: who complained is unknown")
                .isEqualTo(Result.UNMATCHED);
        assertThat(take(FeedbackLoopEndToEndTest.dsn(FEEDBACK, "a@dest.test")
                .replace("<m1@client.test>", "<never-sent@client.test>"))).isEqualTo(Result.UNMATCHED);
        assertThat(take("Subject: hello\r\n\r\njust a note\r\n")).isEqualTo(Result.IGNORED);
        assertThat(events).isEmpty();
        assertThat(suppression.size()).isZero();
    }

    private Result take(String message) throws Exception {
        return take(message, FEEDBACK);
    }

    private Result take(String message, String rcpt) throws Exception {
        return matcher.take(1, List.of(rcpt), message.getBytes(StandardCharsets.UTF_8), NOW);
    }
}
