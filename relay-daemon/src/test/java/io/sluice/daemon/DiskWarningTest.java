package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.TestDaemon;
import io.sluice.testing.Tmpfs;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 9: a journal disk that runs short is reported once a minute by Sluice's own warning, which names
 * {@code journal.min_free} and what it means, never by Chronicle's disk-space monitor, which logged an ERROR
 * ("your disk ... is almost full") every 10 s on a small disk. The daemon runs in its own JVM (as under systemd)
 * on a 64 MiB tmpfs filled to 2 MiB free, with {@code min_free: 8MiB}, for 25 s: long enough for Chronicle's
 * monitor to have spoken twice.
 *
 * <p>Skipped where a tmpfs cannot be mounted ({@link Tmpfs}).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DiskWarningTest {
    @TempDir
    Path dir;

    @Test
    void shouldWarnOnceAMinuteAboutAShortDiskAndLetChronicleSayNothing() throws Exception {
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("journal"), 64)) {
            Path config = TestDaemon.in(dir).journal("min_free: 8MiB").writeConfig();
            try (DaemonProcess daemon = DaemonProcess.start(config)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> daemon.output().stream().anyMatch(l -> l.contains("sluice ready")));
                try (RandomAccessFile filler = new RandomAccessFile(dir.resolve("journal/filler").toFile(), "rw")) {
                    long fill = tmpfs.freeBytes() - (2L << 20);
                    byte[] chunk = new byte[1 << 20];
                    for (long written = 0; written < fill; written += chunk.length) {
                        filler.write(chunk, 0, (int) Math.min(chunk.length, fill - written));
                    }
                }
                Thread.sleep(25_000);
                List<String> output = daemon.output();
                String all = String.join("\n", output);
                assertThat(output).as("Chronicle's own monitor is off:\n%s", all)
                        .noneMatch(l -> l.contains("DiskSpaceMonitor") || l.contains("almost full"));
                assertThat(output.stream().filter(l -> l.contains("below journal.min_free")))
                        .as("one warning within the minute:\n%s", all).hasSize(1)
                        .allMatch(l -> l.contains("WARN") && l.contains("452 4.3.1"));
                Files.delete(dir.resolve("journal/filler"));
                await().atMost(Duration.ofSeconds(5)).until(() -> daemon.output().stream()
                        .anyMatch(l -> l.contains("free again, at or above journal.min_free")));
            }
        }
    }
}
