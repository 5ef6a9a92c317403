package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scheduler.ShapingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state-file writer: the newest state wins, a clean stop writes what is pending, and later changes still land. */
class StateFilePersisterTest {
    @TempDir
    Path dir;

    private static ShapingState suspendedUntil(long until) {
        return new ShapingState(List.of(new ShapingState.Entry("default", "provider gmail", "gmail", 1, until, true,
                null, 0, "4\\.7\\.28", "421 4.7.28 unusual rate")));
    }

    @Test
    void shouldWriteTheNewestStateAtFlushAndAfterIt() throws Exception {
        StateFilePersister<ShapingState> p = new StateFilePersister<>(dir, ShapingState.FILE_NAME,
                ShapingState::write);
        p.changed(suspendedUntil(Long.MAX_VALUE - 2));
        p.changed(suspendedUntil(Long.MAX_VALUE - 1));
        p.flush();
        assertThat(ShapingState.read(dir, 0).actions()).singleElement()
                .satisfies(a -> assertThat(a.untilMillis()).isEqualTo(Long.MAX_VALUE - 1));

        p.changed(ShapingState.EMPTY); // after the stop: written on the caller's thread
        assertThat(Files.readString(dir.resolve(ShapingState.FILE_NAME))).doesNotContain("gmail");
    }
}
