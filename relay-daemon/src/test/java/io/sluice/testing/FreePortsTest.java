package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link FreePorts} never hands out the same port twice, even when the kernel offers it again. */
class FreePortsTest {
    @Test
    void handsOutDistinctPorts() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            int port = FreePorts.next();
            assertThat(port).isBetween(1, 65_535);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }
}
