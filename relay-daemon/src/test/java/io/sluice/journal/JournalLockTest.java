package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal lock within one process (the cross-process case, including SIGKILL, is JournalLockProcessTest): the
 * holder's PID is in the file, a second acquire is refused naming it, and a release lets the next one in. The file
 * is read only after the release: closing any descriptor of it would drop this process's POSIX lock.
 */
class JournalLockTest {
    private static final String SELF = Long.toString(ProcessHandle.current().pid());

    @TempDir
    Path dir;

    @Test
    void shouldCreateTheDirectoryAndWriteTheHoldersPid() throws Exception {
        Path journal = dir.resolve("new/journal");
        try (JournalLock lock = JournalLock.acquire(journal)) {
            assertThat(lock.dir()).isEqualTo(journal.toRealPath());
        }
        assertThat(Files.readString(journal.resolve(JournalLock.FILE_NAME))).isEqualTo(SELF + "\n");
    }

    @Test
    void shouldRefuseASecondAcquireNamingTheHolderUntilReleased() throws Exception {
        JournalLock first = JournalLock.acquire(dir);
        try {
            assertThatThrownBy(() -> JournalLock.acquire(dir.resolve(".").resolve("")))
                    .hasMessageContaining("journal " + dir.toRealPath() + " is in use by this process (PID " + SELF
                            + ")")
                    .hasMessageContaining(JournalLock.FILE_NAME);
            assertThatThrownBy(() -> JournalLock.acquire(dir)).hasMessageContaining("PID " + SELF);
        } finally {
            first.close();
        }
        first.close(); // idempotent
        JournalLock.acquire(dir).close();
    }
}
