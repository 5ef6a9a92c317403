package io.sluice.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator-facing DNS state: failing until any answer, and a warning at most once a minute. */
class ResolverHealthTest {

    @Test
    void shouldWarnAtMostOnceAMinuteWhileFailingAndClearOnAnAnswer() {
        ResolverHealth health = new ResolverHealth(List.of("127.0.0.1:53"), "dns.resolvers");
        long t = 1_000_000;
        assertThat(health.failure()).isNull();

        assertThat(health.unanswered("DNS resolver 127.0.0.1:53 unreachable", t)).as("first failure warns").isTrue();
        assertThat(health.unanswered("DNS resolver 127.0.0.1:53 unreachable", t + 1_000)).isFalse();
        assertThat(health.unanswered("DNS timeout after 10s", t + 59_999)).isFalse();
        assertThat(health.failure()).isEqualTo("DNS timeout after 10s");
        assertThat(health.failingSinceMillis()).as("since the first failure").isEqualTo(t);
        assertThat(health.unanswered("DNS timeout after 10s", t + 60_000)).as("a minute later").isTrue();

        health.answered();
        assertThat(health.failure()).isNull();
        assertThat(health.failingSinceMillis()).isEqualTo(-1);
        assertThat(health.unanswered("DNS timeout after 10s", t + 61_000)).as("still within the minute").isFalse();
        assertThat(health.failingSinceMillis()).isEqualTo(t + 61_000);
    }
}
