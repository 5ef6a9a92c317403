package io.sluice.smtp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SaslPlainTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Credentials done(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Done.class);
        return ((SaslStep.Done) step).credentials();
    }

    private static AuthReply failed(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Failed.class);
        return ((SaslStep.Failed) step).reply();
    }

    @Test
    void shouldDecodeAnInitialResponse() {
        SaslExchange exchange = SaslExchange.begin("PLAIN " + b64("\0alice\0s3cret"));

        Credentials credentials = done(exchange.start());

        assertThat(exchange.mechanism()).isEqualTo("PLAIN");
        assertThat(credentials.user()).isEqualTo("alice");
        assertThat(credentials.password()).containsExactly("s3cret".toCharArray());
        assertThat(exchange.isFinished()).isTrue();
    }

    @Test
    void shouldSendAnEmptyChallengeWithoutInitialResponse() {
        SaslExchange exchange = SaslExchange.begin("plain");

        SaslStep first = exchange.start();

        assertThat(first).isEqualTo(new SaslStep.Challenge(""));
        assertThat(((SaslStep.Challenge) first).line()).isEqualTo("334 ");
        Credentials credentials = done(exchange.respond(b64("alice\0alice\0pässwörd")));
        assertThat(credentials.user()).isEqualTo("alice");
        assertThat(new String(credentials.password())).isEqualTo("pässwörd");
    }

    @Test
    void shouldRejectBadBase64() {
        assertThat(failed(SaslExchange.begin("PLAIN AGFsaWNlAHB3!").start())).isEqualTo(AuthReply.CANNOT_DECODE);
        SaslExchange exchange = SaslExchange.begin("PLAIN");
        exchange.start();
        assertThat(failed(exchange.respond("not base64"))).isEqualTo(AuthReply.CANNOT_DECODE);
        assertThat(AuthReply.CANNOT_DECODE.line()).isEqualTo("501 5.5.2 Cannot decode response");
    }

    @Test
    void shouldRejectAResponseOverTheLengthLimit() {
        String huge = b64("\0alice\0" + "x".repeat(3100));

        assertThat(huge.length()).isGreaterThan(SaslResponseDecoder.MAX_RESPONSE_CHARS);
        assertThat(failed(SaslExchange.begin("PLAIN " + huge).start())).isEqualTo(AuthReply.CANNOT_DECODE);
    }

    @Test
    void shouldRejectInvalidUtf8() {
        byte[] message = {0, 'a', 0, (byte) 0xC3, (byte) 0x28};

        SaslStep step = SaslExchange.begin("PLAIN " + Base64.getEncoder().encodeToString(message)).start();

        assertThat(failed(step)).isEqualTo(AuthReply.CANNOT_DECODE);
    }

    @Test
    void shouldRejectAnAuthzidOtherThanTheUser() {
        SaslStep step = SaslExchange.begin("PLAIN " + b64("admin\0alice\0s3cret")).start();

        assertThat(failed(step)).isEqualTo(AuthReply.AUTHZID_NOT_PERMITTED);
        assertThat(AuthReply.AUTHZID_NOT_PERMITTED.line())
                .isEqualTo("535 5.7.8 Authorization identity must be empty or equal the user name");
    }

    @Test
    void shouldTreatAuthzidCaseSensitively() {
        assertThat(failed(SaslExchange.begin("PLAIN " + b64("Alice\0alice\0pw")).start()))
                .isEqualTo(AuthReply.AUTHZID_NOT_PERMITTED);
    }

    @Test
    void shouldRejectMessagesWithoutExactlyTwoNuls() {
        assertThat(failed(SaslExchange.begin("PLAIN " + b64("alice\0s3cret")).start()))
                .isEqualTo(AuthReply.MALFORMED_PLAIN);
        assertThat(failed(SaslExchange.begin("PLAIN " + b64("\0alice\0s3\0cret")).start()))
                .isEqualTo(AuthReply.MALFORMED_PLAIN);
        assertThat(failed(SaslExchange.begin("PLAIN =").start())).isEqualTo(AuthReply.MALFORMED_PLAIN);
    }

    @Test
    void shouldRejectEmptyUserOrPasswordAsInvalidCredentials() {
        assertThat(failed(SaslExchange.begin("PLAIN " + b64("\0\0pw")).start()))
                .isEqualTo(AuthReply.INVALID_CREDENTIALS);
        assertThat(failed(SaslExchange.begin("PLAIN " + b64("\0alice\0")).start()))
                .isEqualTo(AuthReply.INVALID_CREDENTIALS);
        assertThat(AuthReply.INVALID_CREDENTIALS.line()).isEqualTo("535 5.7.8 Authentication credentials invalid");
    }

    @Test
    void shouldCancelOnStar() {
        SaslExchange exchange = SaslExchange.begin("PLAIN");
        exchange.start();

        assertThat(failed(exchange.respond("*"))).isEqualTo(AuthReply.CANCELLED);
        assertThat(AuthReply.CANCELLED.line()).isEqualTo("501 5.7.0 Authentication cancelled");
        assertThat(exchange.isFinished()).isTrue();
    }

    @Test
    void shouldRefuseUseAfterTheExchangeEnded() {
        SaslExchange exchange = SaslExchange.begin("PLAIN " + b64("\0alice\0pw"));
        exchange.start();

        assertThatThrownBy(() -> exchange.respond("AAAA")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(exchange::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldHidePasswordInToString() {
        Credentials credentials = done(SaslExchange.begin("PLAIN " + b64("\0alice\0s3cret")).start());

        assertThat(credentials.toString()).isEqualTo("Credentials[user=alice, password=***]");
        credentials.clear();
        assertThat(credentials.password()).containsOnly('\0');
    }
}
