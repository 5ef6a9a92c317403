package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Enhanced status codes (RFC 3463) from the first line, EHLO keywords, and per-recipient result rules. */
class SmtpReplyTest {

    private static String status(int code, String line) {
        return SmtpReply.of(code, List.of(line)).enhancedStatus();
    }

    @Test
    void shouldParseEnhancedStatusFromTheFirstLineOnly() {
        assertThat(status(550, "5.1.1 User unknown")).isEqualTo("5.1.1");
        assertThat(status(451, "4.7.28 rate limited")).isEqualTo("4.7.28");
        assertThat(status(250, "2.0.0")).isEqualTo("2.0.0");
        assertThat(status(552, "5.3.123 big")).isEqualTo("5.3.123");
        assertThat(SmtpReply.of(250, List.of("mx.test", "2.0.0 later")).enhancedStatus()).isNull();
    }

    @Test
    void shouldIgnoreEnhancedStatusThatDoesNotMatchTheReplyClassOrShape() {
        assertThat(status(550, "4.1.1 mismatch")).isNull();
        assertThat(status(550, "5.1.1234 too long")).isNull();
        assertThat(status(550, "5.1. short")).isNull();
        assertThat(status(550, "5.1.1x glued")).isNull();
        assertThat(status(550, "User unknown")).isNull();
        assertThat(SmtpReply.of(250, List.of()).enhancedStatus()).isNull();
    }

    @Test
    void shouldClassifyReplyCodes() {
        assertThat(SmtpReply.of(250, List.of()).isPositive()).isTrue();
        assertThat(SmtpReply.of(354, List.of()).isIntermediate()).isTrue();
        assertThat(SmtpReply.of(421, List.of()).isTransient()).isTrue();
        assertThat(SmtpReply.of(554, List.of()).isPermanent()).isTrue();
        assertThat(SmtpReply.local(552, "5.3.4", "too big").toString()).isEqualTo("552 5.3.4 too big");
        assertThatThrownBy(() -> SmtpReply.local(552, "4.3.4", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldParseEhloKeywordsAndTheSizeLimit() {
        EhloCapabilities caps = EhloCapabilities.parse(SmtpReply.of(250, List.of("mx.test greets you",
                "pipelining", "SIZE 35882577", "8BITMIME", "STARTTLS", "ENHANCEDSTATUSCODES", "SMTPUTF8")));

        assertThat(caps.esmtp()).isTrue();
        assertThat(caps.pipelining()).isTrue();
        assertThat(caps.startTls()).isTrue();
        assertThat(caps.eightBitMime()).isTrue();
        assertThat(caps.smtpUtf8()).isTrue();
        assertThat(caps.size()).isTrue();
        assertThat(caps.maxSize()).isEqualTo(35882577L);
        assertThat(caps.keywords()).doesNotContain("MX.TEST");
        EhloCapabilities noLimit = EhloCapabilities.parse(SmtpReply.of(250, List.of("mx.test", "SIZE")));
        assertThat(noLimit.size()).isTrue();
        assertThat(noLimit.maxSize()).isZero();
        assertThat(EhloCapabilities.helo().pipelining()).isFalse();
    }

    @Test
    void shouldApplyMailThenRcptThenDataRepliesPerRecipient() {
        SmtpReply ok = SmtpReply.of(250, List.of("2.1.5 Ok"));
        SmtpReply unknown = SmtpReply.of(550, List.of("5.1.1 unknown"));
        SmtpReply queued = SmtpReply.of(250, List.of("2.0.0 queued"));
        TransactionResult r = TransactionResult.of(List.of("a@x", "b@x"), ok, new SmtpReply[] {ok, unknown}, queued,
                null, null, true);

        assertThat(r.reply(0)).isEqualTo(queued);
        assertThat(r.isDelivered(0)).isTrue();
        assertThat(r.reply(1)).isEqualTo(unknown);
        assertThat(r.isPermanent(1)).isTrue();
        assertThat(r.recipientReplies()).containsExactly(ok, unknown);

        SmtpReply lost = SmtpReply.local(451, "4.4.2", "lost");
        TransactionResult broken = TransactionResult.of(List.of("a@x", "b@x"), ok, new SmtpReply[] {ok, null}, null,
                FailureKind.CONNECTION_LOST, lost, false);
        assertThat(broken.reply(0)).isEqualTo(lost);
        assertThat(broken.status(1)).isEqualTo(RecipientStatus.TEMPORARY);
    }
}
