package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persisted suspensions and holds ({@link SteeringState}): round trip, ended suspensions, bad lines. */
class SteeringStateTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackWhatItWroteAndDropSuspensionsThatEnded() throws Exception {
        SteeringState state = new SteeringState(Map.of("a.test", 0L, "ended.test", 1_000L, "later.test", 9_000L),
                Map.of("mx1.b.test,mx2.b.test", 0L), Set.of("held.test"), Set.of(0x1a2028826dc00000L));
        state.write(dir);
        assertThat(Files.readString(dir.resolve(SteeringState.FILE_NAME))).contains(
                "suspend-domain a.test 0\n", "suspend-site mx1.b.test,mx2.b.test 0\n", "hold-domain held.test\n",
                "hold-id 1a2028826dc00000\n");
        assertThat(Files.exists(dir.resolve(SteeringState.FILE_NAME + ".tmp"))).isFalse();
        SteeringState read = SteeringState.read(dir, 5_000L);
        assertThat(read.suspendedDomains()).containsOnly(Map.entry("a.test", 0L), Map.entry("later.test", 9_000L));
        assertThat(read.suspendedSites()).isEqualTo(state.suspendedSites());
        assertThat(read.heldDomains()).isEqualTo(state.heldDomains());
        assertThat(read.heldMessages()).isEqualTo(state.heldMessages());
    }

    @Test
    void shouldBeEmptyWithoutAFile() throws Exception {
        assertThat(SteeringState.read(dir, 0)).isEqualTo(SteeringState.EMPTY);
    }

    @Test
    void shouldRefuseAMalformedLineWithItsNumber() throws Exception {
        Files.writeString(dir.resolve(SteeringState.FILE_NAME), "# header\nhold-domain a.test\nsuspend-domain x\n");
        assertThatThrownBy(() -> SteeringState.read(dir, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining(SteeringState.FILE_NAME + ":3:");
        Files.writeString(dir.resolve(SteeringState.FILE_NAME), "hold-id nothex\n");
        assertThatThrownBy(() -> SteeringState.read(dir, 0)).hasMessageContaining(":1:");
    }
}
