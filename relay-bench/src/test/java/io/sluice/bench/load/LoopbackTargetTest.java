package io.sluice.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopbackTargetTest {

    @Test
    void shouldAcceptTheWholeIpv4LoopbackRangeAndIpv6Loopback() {
        assertThat(LoopbackTarget.resolve("127.0.0.1").isLoopbackAddress()).isTrue();
        assertThat(LoopbackTarget.resolve("127.45.6.7").getHostAddress()).isEqualTo("127.45.6.7");
        assertThat(LoopbackTarget.resolve("::1").isLoopbackAddress()).isTrue();
        assertThat(LoopbackTarget.resolve("localhost").isLoopbackAddress()).isTrue();
    }

    @Test
    void shouldRefusePrivatePublicAndMappedAddresses() {
        for (String host : new String[] {"192.0.2.1", "10.0.0.1", "192.168.1.1", "8.8.8.8", "::ffff:10.1.2.3",
            "2001:db8::1", "0.0.0.0"}) {
            assertThatThrownBy(() -> LoopbackTarget.resolve(host)).as(host)
                    .isInstanceOf(LoopbackTarget.NonLoopbackTargetException.class)
                    .hasMessageContaining("refusing --host " + host);
        }
    }
}
