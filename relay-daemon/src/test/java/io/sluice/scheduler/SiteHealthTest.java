package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SiteHealthTest {

    @Test
    void shouldStayAliveBelowThresholdAndResetOnSuccess() {
        SiteHealth health = new SiteHealth(3, 1000, 8000);
        health.connectFailed(0, false);
        health.connectFailed(1, false);
        assertThat(health.isDead()).isFalse();
        health.connected(1);
        health.connectFailed(2, false);
        health.connectFailed(3, false);
        assertThat(health.isDead()).as("the count restarted after a success").isFalse();
        assertThat(health.mayConnect(3)).isTrue();
    }

    @Test
    void shouldProbeDeadSiteWithOneConnectionAtGrowingIntervals() {
        SiteHealth health = new SiteHealth(2, 1000, 4000);
        health.connectFailed(0, false);
        health.connectFailed(10, false);
        assertThat(health.isDead()).isTrue();
        assertThat(health.mayConnect(500)).as("held until the first probe").isFalse();
        assertThat(health.mayConnect(1010)).isTrue();
        assertThat(health.connecting()).as("the probe").isTrue();
        assertThat(health.mayConnect(1011)).as("one probe at a time").isFalse();
        health.connectFailed(1500, true);
        assertThat(health.nextProbeAtMillis()).isEqualTo(3500);
        assertThat(health.connecting()).as("the probe").isTrue();
        health.connectFailed(3500, true);
        assertThat(health.nextProbeAtMillis()).as("capped at max").isEqualTo(7500);
        assertThat(health.connecting()).as("the probe").isTrue();
        health.connectFailed(7500, true);
        assertThat(health.nextProbeAtMillis()).isEqualTo(11500);
        assertThat(health.mayConnect(11500)).isTrue();
        assertThat(health.connecting()).as("the probe").isTrue();
        health.connected(11_600);
        assertThat(health.isDead()).isFalse();
        assertThat(health.mayConnect(11501)).isTrue();
    }

    @Test
    void shouldNotLengthenTheProbeIntervalForAttemptsStartedBeforeTheSiteDied() {
        SiteHealth health = new SiteHealth(2, 1000, 64_000);
        assertThat(health.connecting()).as("alive: not a probe").isFalse();
        assertThat(health.connecting()).isFalse();
        assertThat(health.connecting()).isFalse();
        health.connectFailed(0, false);
        health.connectFailed(10, false);
        assertThat(health.isDead()).isTrue();
        health.connectFailed(20, false); // the third straggler fails after the site died
        assertThat(health.nextProbeAtMillis()).as("first probe unchanged").isEqualTo(1010);
        assertThat(health.mayConnect(1010)).isTrue();
        boolean probe = health.connecting();
        assertThat(probe).isTrue();
        health.notConnecting(probe);
        assertThat(health.mayConnect(1011)).as("a probe handed back untried is not used up").isTrue();
    }

    @Test
    void shouldProbeSoonerWhenTheSiteWasHealthyAMomentAgo() {
        SiteHealth health = new SiteHealth(3, 60_000, 3_600_000);
        health.connected(100_000);
        health.connectFailed(110_000, false);
        health.connectFailed(111_000, false);
        health.connectFailed(112_000, false);
        assertThat(health.isDead()).isTrue();
        assertThat(health.nextProbeAtMillis()).as("first probe after seconds, not a minute")
                .isEqualTo(112_000 + SiteHealth.RECENTLY_HEALTHY_FIRST_PROBE_MILLIS);
        assertThat(health.connecting()).isTrue();
        health.connectFailed(117_000, true);
        assertThat(health.nextProbeAtMillis()).as("then doubling").isEqualTo(117_000 + 10_000);
    }

    @Test
    void shouldWaitTheFullFirstProbeForASiteThatWasNotHealthyLately() {
        SiteHealth never = new SiteHealth(2, 60_000, 3_600_000);
        never.connectFailed(0, false);
        never.connectFailed(1_000, false);
        assertThat(never.nextProbeAtMillis()).as("never let us in").isEqualTo(61_000);

        SiteHealth longAgo = new SiteHealth(2, 60_000, 3_600_000);
        longAgo.connected(0);
        longAgo.connectFailed(200_000, false);
        longAgo.connectFailed(201_000, false);
        assertThat(longAgo.nextProbeAtMillis()).as("healthy minutes ago").isEqualTo(261_000);
    }

    @Test
    void shouldActAsACircuitBreakerWithAFixedCooldownAndTimeoutsCountingOnce() {
        SiteHealth breaker = SiteHealth.circuit(3, 30_000);
        breaker.connected(0);
        breaker.connectTimedOut(1, false);
        breaker.connectTimedOut(2, false);
        assertThat(breaker.isDead()).as("a timeout counts once: two so far").isFalse();
        assertThat(breaker.circuitState()).isEqualTo("closed");
        breaker.connectFailed(3, false);
        assertThat(breaker.circuitState()).as("open after open_after in a row").isEqualTo("open");
        assertThat(breaker.nextProbeAtMillis()).as("the whole cooldown, although it let us in just now")
                .isEqualTo(30_003);
        assertThat(breaker.mayConnect(30_002)).isFalse();
        assertThat(breaker.mayConnect(30_003)).isTrue();
        assertThat(breaker.connecting()).isTrue();
        assertThat(breaker.circuitState()).isEqualTo("half-open");
        assertThat(breaker.probeInFlight()).isTrue();
        breaker.connectFailed(31_000, true);
        assertThat(breaker.nextProbeAtMillis()).as("no doubling: one probe per cooldown").isEqualTo(61_000);
        assertThat(breaker.connecting()).isTrue();
        breaker.connected(61_500);
        assertThat(breaker.circuitState()).isEqualTo("closed");
        breaker.circuitLimits(1, 5_000);
        breaker.connectFailed(62_000, false);
        assertThat(breaker.circuitState()).as("a reload's open_after applies").isEqualTo("open");
        assertThat(breaker.nextProbeAtMillis()).isEqualTo(67_000);
    }
}
