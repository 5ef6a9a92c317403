package io.sluice.smtp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SaslLoginTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAskForUserNameThenPassword() {
        SaslExchange exchange = SaslExchange.begin("LOGIN");

        SaslStep first = exchange.start();
        SaslStep second = exchange.respond(b64("alice"));
        SaslStep last = exchange.respond(b64("s3cret"));

        assertThat(exchange.mechanism()).isEqualTo("LOGIN");
        assertThat(((SaslStep.Challenge) first).line()).isEqualTo("334 VXNlcm5hbWU6");
        assertThat(((SaslStep.Challenge) second).line()).isEqualTo("334 UGFzc3dvcmQ6");
        assertThat(last).isInstanceOf(SaslStep.Done.class);
        Credentials credentials = ((SaslStep.Done) last).credentials();
        assertThat(credentials.user()).isEqualTo("alice");
        assertThat(credentials.password()).containsExactly("s3cret".toCharArray());
    }

    @Test
    void shouldTakeTheInitialResponseAsTheUserName() {
        SaslExchange exchange = SaslExchange.begin("login " + b64("alice"));

        assertThat(exchange.start()).isEqualTo(new SaslStep.Challenge(SaslLogin.PASSWORD_CHALLENGE));
        SaslStep last = exchange.respond(b64("s3cret"));

        assertThat(((SaslStep.Done) last).credentials().user()).isEqualTo("alice");
    }

    @Test
    void shouldCancelAtEitherChallenge() {
        SaslExchange atUser = SaslExchange.begin("LOGIN");
        atUser.start();
        SaslExchange atPassword = SaslExchange.begin("LOGIN");
        atPassword.start();
        atPassword.respond(b64("alice"));

        assertThat(atUser.respond("*")).isEqualTo(new SaslStep.Failed(AuthReply.CANCELLED));
        assertThat(atPassword.respond("*")).isEqualTo(new SaslStep.Failed(AuthReply.CANCELLED));
    }

    @Test
    void shouldRejectBadBase64InEitherLine() {
        SaslExchange badUser = SaslExchange.begin("LOGIN");
        badUser.start();
        SaslExchange badPassword = SaslExchange.begin("LOGIN");
        badPassword.start();
        badPassword.respond(b64("alice"));

        assertThat(badUser.respond("YWxp Y2U=")).isEqualTo(new SaslStep.Failed(AuthReply.CANNOT_DECODE));
        assertThat(badPassword.respond("%%%")).isEqualTo(new SaslStep.Failed(AuthReply.CANNOT_DECODE));
        assertThat(SaslExchange.begin("LOGIN ####").start()).isEqualTo(new SaslStep.Failed(AuthReply.CANNOT_DECODE));
    }

    @Test
    void shouldRejectAnEmptyPasswordAfterAskingForIt() {
        SaslExchange exchange = SaslExchange.begin("LOGIN");
        exchange.start();
        exchange.respond(b64("alice"));

        assertThat(exchange.respond("=")).isEqualTo(new SaslStep.Failed(AuthReply.INVALID_CREDENTIALS));
    }
}
