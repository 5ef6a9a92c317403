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
        health.connected();
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
        health.connected();
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
}
