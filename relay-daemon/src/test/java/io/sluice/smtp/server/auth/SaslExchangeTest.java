package io.sluice.smtp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SaslExchangeTest {

    @Test
    void shouldRefuseAnUnknownMechanism() {
        SaslExchange exchange = SaslExchange.begin("CRAM-MD5");

        assertThat(exchange.mechanism()).isNull();
        assertThat(exchange.start()).isEqualTo(new SaslStep.Failed(AuthReply.UNRECOGNIZED_MECHANISM));
        assertThat(exchange.isFinished()).isTrue();
        assertThat(AuthReply.UNRECOGNIZED_MECHANISM.line()).isEqualTo("504 5.5.4 Unrecognized authentication mechanism");
    }

    @Test
    void shouldRefuseMissingMechanismOrExtraArguments() {
        assertThat(SaslExchange.begin("").start()).isEqualTo(new SaslStep.Failed(AuthReply.SYNTAX));
        assertThat(SaslExchange.begin(" PLAIN").start()).isEqualTo(new SaslStep.Failed(AuthReply.SYNTAX));
        assertThat(SaslExchange.begin("PLAIN ").start()).isEqualTo(new SaslStep.Failed(AuthReply.SYNTAX));
        assertThat(SaslExchange.begin("PLAIN AAAA BBBB").start()).isEqualTo(new SaslStep.Failed(AuthReply.SYNTAX));
        assertThat(AuthReply.SYNTAX.line()).isEqualTo("501 5.5.2 Syntax: AUTH mechanism [initial-response]");
    }

    @Test
    void shouldSpellTheStandardReplies() {
        assertThat(AuthReply.SUCCESS.line()).isEqualTo("235 2.7.0 Authentication successful");
        assertThat(AuthReply.TEMPORARY_FAILURE.line()).isEqualTo("454 4.7.0 Temporary authentication failure");
        assertThat(AuthReply.TOO_MANY_FAILURES.line())
                .isEqualTo("454 4.7.0 Too many authentication failures, try again later");
        assertThat(AuthReply.ENCRYPTION_REQUIRED.line())
                .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
        assertThat(AuthReply.ALREADY_AUTHENTICATED.line()).isEqualTo("503 5.5.1 Already authenticated");
        assertThat(SaslExchange.ADVERTISED_MECHANISMS).isEqualTo("PLAIN LOGIN");
    }
}
