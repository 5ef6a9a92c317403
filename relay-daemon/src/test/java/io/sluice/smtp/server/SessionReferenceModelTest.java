package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fuzz test's reference model refuses the replies it exists to catch, so a quiet fuzz run means something. */
class SessionReferenceModelTest {
    private final SessionReferenceModel model = new SessionReferenceModel("mx.sluice.test");

    private static byte[] line(String text) {
        return (text + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private void greeted() {
        model.greeting("220 mx.sluice.test ESMTP Sluice");
        model.reply(line("EHLO c"), "250-mx.sluice.test\n250 SMTPUTF8");
    }

    @Test
    void shouldAcceptAWholeTransaction() {
        greeted();
        assertThat(model.reply(line("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok")).isFalse();
        model.reply(line("RCPT TO:<c@d.test>"), "250 2.1.5 Ok");
        model.reply(line("DATA"), "354 End data with <CR><LF>.<CR><LF>");
        assertThat(model.endOfData("250 2.0.0 Ok: queued as 0123456789abcdef")).isEqualTo("0123456789abcdef");
        model.reply(line("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok");
        assertThat(model.reply(line("quit"), "221 2.0.0 Bye")).isTrue();
    }

    @Test
    void shouldRefuseRcptOrDataAcceptedOutsideATransaction() {
        greeted();
        assertThatThrownBy(() -> model.reply(line("RCPT TO:<c@d.test>"), "250 2.1.5 Ok"))
                .hasMessageContaining("without MAIL");
        assertThatThrownBy(() -> model.reply(line("DATA"), "354 go ahead")).hasMessageContaining("RCPT");
    }

    @Test
    void shouldRefuseANestedMailAndATransactionSurvivingRset() {
        greeted();
        model.reply(line("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok");
        assertThatThrownBy(() -> model.reply(line("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok"))
                .hasMessageContaining("second MAIL");
        model.reply(line("RSET"), "250 2.0.0 Ok");
        assertThatThrownBy(() -> model.reply(line("RCPT TO:<c@d.test>"), "250 2.1.5 Ok"))
                .hasMessageContaining("without MAIL");
    }

    @Test
    void shouldRefuseMalformedRepliesAndMisplacedCodes() {
        greeted();
        assertThatThrownBy(() -> model.reply(line("NOOP"), "250 Ok")).hasMessageContaining("enhanced status code");
        assertThatThrownBy(() -> model.reply(line("NOOP"), "550 4.0.0 no")).hasMessageContaining("class");
        assertThatThrownBy(() -> model.reply(line("NOOP"), "600 6.0.0 no")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> model.reply(line("NOOP"), "250-2.0.0 a\n251 2.0.0 b"))
                .hasMessageContaining("one code");
        assertThatThrownBy(() -> model.reply(line("NOOP"), "250 2.0.0 Ok: queued as 0123456789abcdef"))
                .hasMessageContaining("queued as");
        assertThatThrownBy(() -> model.reply(line("NOOP"), "221 2.0.0 Bye")).hasMessageContaining("221");
        assertThatThrownBy(() -> model.reply(line("QUIT"), "250 2.0.0 Ok")).hasMessageContaining("QUIT");
        assertThatThrownBy(() -> model.reply(line("NOOP"), null)).hasMessageContaining("hang");
    }

    @Test
    void shouldTreatTheLineAfterA334AsAnAuthResponse() {
        greeted();
        model.reply(line("AUTH PLAIN"), "334 ");
        assertThat(model.awaitingAuthResponse()).isTrue();
        assertThatThrownBy(() -> model.reply(line("QUIT"), "221 2.0.0 Bye")).hasMessageContaining("221");
    }

    @Test
    void shouldReadTheVerbAsTheServerDecoderDoes() {
        assertThat(SessionReferenceModel.verb(line("rset"))).isEqualTo("RSET");
        assertThat(SessionReferenceModel.verb(line("MAIL FROM:<a@b>"))).isEqualTo("MAIL");
        assertThat(SessionReferenceModel.verb("NOOP\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(SessionReferenceModel.verb(line("RS\0ET"))).isEmpty();
    }
}
