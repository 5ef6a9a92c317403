package io.sluice.smtp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static void fail(FailureThrottle<ClientKey> throttle, InetAddress client, long now) {
        assertThat(throttle.tryBegin(ClientKey.of(client), now)).isTrue();
        throttle.finish(ClientKey.of(client), now, true);
    }

    @Test
    void shouldThrottleAfterMaxFailuresWithinAMinute() throws Exception {
        FailureThrottle<ClientKey> throttle = new FailureThrottle<>(3, 100);
        InetAddress client = ip("192.0.2.1");

        fail(throttle, client, 0);
        fail(throttle, client, 10 * SECOND);
        assertThat(throttle.isThrottled(ClientKey.of(client), 20 * SECOND)).isFalse();
        fail(throttle, client, 20 * SECOND);

        assertThat(throttle.isThrottled(ClientKey.of(client), 21 * SECOND)).isTrue();
        assertThat(throttle.tryBegin(ClientKey.of(client), 59 * SECOND)).isFalse();
        assertThat(throttle.isThrottled(ClientKey.of(ip("192.0.2.2")), 21 * SECOND)).isFalse();
    }

    @Test
    void shouldSlideTheWindowSoOldFailuresExpireOneByOne() throws Exception {
        FailureThrottle<ClientKey> throttle = new FailureThrottle<>(3, 100);
        InetAddress client = ip("192.0.2.1");
        fail(throttle, client, 0);
        fail(throttle, client, 10 * SECOND);
        fail(throttle, client, 20 * SECOND);

        assertThat(throttle.isThrottled(ClientKey.of(client), 60 * SECOND - 1)).isTrue();
        assertThat(throttle.isThrottled(ClientKey.of(client), 60 * SECOND)).isFalse();
        fail(throttle, client, 61 * SECOND);
        assertThat(throttle.isThrottled(ClientKey.of(client), 62 * SECOND)).isTrue();
        assertThat(throttle.isThrottled(ClientKey.of(client), 70 * SECOND)).isFalse();
    }

    @Test
    void shouldNotCountSuccessesOrRefusedAttempts() throws Exception {
        FailureThrottle<ClientKey> throttle = new FailureThrottle<>(2, 100);
        InetAddress client = ip("192.0.2.1");
        fail(throttle, client, 0);
        assertThat(throttle.tryBegin(ClientKey.of(client), 1)).isTrue();
        throttle.finish(ClientKey.of(client), 1, false);
        fail(throttle, client, 2);

        for (int i = 0; i < 10; i++) {
            assertThat(throttle.tryBegin(ClientKey.of(client), 3 + i)).isFalse();
        }
        assertThat(throttle.isThrottled(ClientKey.of(client), 60 * SECOND + 2)).isFalse();
    }

    @Test
    void shouldLimitChecksInFlightOnceAClientHasFailed() throws Exception {
        FailureThrottle<ClientKey> throttle = new FailureThrottle<>(3, 100);
        InetAddress client = ip("192.0.2.1");

        for (int i = 0; i < 10; i++) {
            assertThat(throttle.tryBegin(ClientKey.of(client), 0)).as("burst without failures").isTrue();
        }
        for (int i = 0; i < 10; i++) {
            throttle.finish(ClientKey.of(client), 0, false);
        }
        fail(throttle, client, 1);
        assertThat(throttle.tryBegin(ClientKey.of(client), 2)).isTrue();
        assertThat(throttle.tryBegin(ClientKey.of(client), 2)).as("1 failure + 2 in flight = 3").isTrue();
        assertThat(throttle.tryBegin(ClientKey.of(client), 2)).isFalse();
        throttle.finish(ClientKey.of(client), 3, false);
        assertThat(throttle.tryBegin(ClientKey.of(client), 4)).isTrue();
    }

    @Test
    void shouldGroupIpv6ClientsByTheir64Prefix() throws Exception {
        FailureThrottle<ClientKey> throttle = new FailureThrottle<>(2, 100);
        fail(throttle, ip("2001:db8:1:2::1"), 0);
        fail(throttle, ip("2001:db8:1:2:ffff::9"), 0);

        assertThat(throttle.isThrottled(ClientKey.of(ip("2001:db8:1:2::77")), 1)).isTrue();
        assertThat(throttle.isThrottled(ClientKey.of(ip("2001:db8:1:3::1")), 1)).isFalse();
        assertThat(throttle.isThrottled(ClientKey.of(ip("0.0.0.0")), 1)).isFalse();
    }

    @Test
    void shouldBoundTheNumberOfTrackedClientsEvictingTheLeastRecent() throws Exception {
        FailureThrottle<ClientKey> throttle = new FailureThrottle<>(1, 3);
        for (int i = 1; i <= 50; i++) {
            fail(throttle, ip("198.51.100." + i), i);
        }

        assertThat(throttle.trackedClients()).isEqualTo(3);
        assertThat(throttle.isThrottled(ClientKey.of(ip("198.51.100.50")), 51)).isTrue();
        assertThat(throttle.isThrottled(ClientKey.of(ip("198.51.100.1")), 51)).isFalse();
    }

    @Test
    void shouldForgetClientsThatSucceedWithoutRecentFailures() throws Exception {
        FailureThrottle<ClientKey> throttle = new FailureThrottle<>(3, 100);
        InetAddress client = ip("192.0.2.1");

        assertThat(throttle.tryBegin(ClientKey.of(client), 0)).isTrue();
        throttle.finish(ClientKey.of(client), 0, false);

        assertThat(throttle.trackedClients()).isZero();
    }

    @Test
    void shouldNeverThrottleWhenDisabled() throws Exception {
        FailureThrottle<ClientKey> throttle = new FailureThrottle<>(0, 100);
        InetAddress client = ip("192.0.2.1");
        for (int i = 0; i < 20; i++) {
            fail(throttle, client, i);
        }

        assertThat(throttle.isThrottled(ClientKey.of(client), 21)).isFalse();
        assertThat(throttle.trackedClients()).isZero();
    }
}
