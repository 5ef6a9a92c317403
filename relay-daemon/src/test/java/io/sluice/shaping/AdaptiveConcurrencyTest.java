package io.sluice.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The window's steps: 5 to start, +1 per success up to the cap, -1 per deferral, halved per failed connection. */
class AdaptiveConcurrencyTest {

    @Test
    void shouldStepDownOnDeferralsHalveOnFailuresAndEarnItBack() {
        AdaptiveConcurrency c = new AdaptiveConcurrency(8);
        assertThat(c.window()).isEqualTo(AdaptiveConcurrency.INITIAL);
        for (int i = 0; i < 10; i++) {
            c.connected();
        }
        assertThat(c.window()).as("up to the cap").isEqualTo(8);
        c.deferred();
        c.deferred();
        assertThat(c.window()).as("one fewer per deferred transaction").isEqualTo(6);
        c.connectFailed();
        assertThat(c.window()).as("halved per failed connection").isEqualTo(3);
        for (int i = 0; i < 5; i++) {
            c.deferred();
        }
        assertThat(c.window()).as("never below one").isEqualTo(1);
        c.connected();
        assertThat(c.window()).isEqualTo(2);
        c.limit(1);
        assertThat(c.window()).as("a lower cap applies at once").isEqualTo(1);
        c.revived();
        assertThat(c.window()).isEqualTo(1);
    }
}
