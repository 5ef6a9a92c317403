package io.sluice.bounce.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the feedback intake's parser with arbitrary message bytes (what anyone on the internet can send to the
 * bounce address): {@link BounceParser#parse} never throws, every recipient it reports is one address (an {@code @},
 * no white space, lower case), and a message it calls no bounce names nobody.
 *
 * <p>Replayed from {@code BounceParserFuzzTestInputs/} on every {@code mvn test}; fuzzed with {@code -Pfuzz}.
 */
class BounceParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parseNeverThrowsAndReportsOnlyAddresses(byte[] input) {
        BounceReport report = BounceParser.parse(input);
        assertThat(report).isNotNull();
        if (report.kind() == BounceReport.Kind.NOT_A_BOUNCE) {
            assertThat(report.recipients()).isEmpty();
        }
        for (BouncedRecipient r : report.recipients()) {
            assertThat(r.address()).contains("@").doesNotContainPattern("\\s").isLowerCase();
        }
    }
}
