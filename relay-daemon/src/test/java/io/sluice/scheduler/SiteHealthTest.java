package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SiteHealthTest {

    @Test
    void shouldStayAliveBelowThresholdAndResetOnSuccess() {
        SiteHealth health = new SiteHealth(3, 1000, 8000);
        health.connectFailed(0);
        health.connectFailed(1);
        assertThat(health.isDead()).isFalse();
        health.connected();
        health.connectFailed(2);
        health.connectFailed(3);
        assertThat(health.isDead()).as("the count restarted after a success").isFalse();
        assertThat(health.mayConnect(3)).isTrue();
    }

    @Test
    void shouldProbeDeadSiteWithOneConnectionAtGrowingIntervals() {
        SiteHealth health = new SiteHealth(2, 1000, 4000);
        health.connectFailed(0);
        health.connectFailed(10);
        assertThat(health.isDead()).isTrue();
        assertThat(health.mayConnect(500)).as("held until the first probe").isFalse();
        assertThat(health.mayConnect(1010)).isTrue();
        health.connecting();
        assertThat(health.mayConnect(1011)).as("one probe at a time").isFalse();
        health.connectFailed(1500);
        assertThat(health.nextProbeAtMillis()).isEqualTo(3500);
        health.connecting();
        health.connectFailed(3500);
        assertThat(health.nextProbeAtMillis()).as("capped at max").isEqualTo(7500);
        health.connecting();
        health.connectFailed(7500);
        assertThat(health.nextProbeAtMillis()).isEqualTo(11500);
        assertThat(health.mayConnect(11500)).isTrue();
        health.connecting();
        health.connected();
        assertThat(health.isDead()).isFalse();
        assertThat(health.mayConnect(11501)).isTrue();
    }
}
