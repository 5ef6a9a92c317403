package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first run in a checkout, as the README's quick start has it: a working directory holding the shipped
 * conf/sluice.yaml, conf/shaping.yaml and conf/bounce-rules.yaml (only the ports moved to free ones and DNS pointed at
 * an unused loopback port, so nothing leaves the machine), no token file, {@code sluice run} and then {@code sluice status} as separate processes,
 * with no flags at all.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FirstRunCheckoutTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").toAbsolutePath().normalize();

    @TempDir
    Path checkout;

    @Test
    void shouldCreateTheTokenAtFirstStartSoStatusWorksWithoutFlags() throws Exception {
        String shipped = Files.readString(ROOT.resolve("conf/sluice.yaml"), StandardCharsets.UTF_8);
        assertThat(shipped).contains("port: 2525 ", "port: 8025 ", "token_file: data/admin.token ");
        String yaml = shipped.replace("port: 2525 ", "port: " + FreePorts.next() + " ")
                .replace("port: 8025 ", "port: " + FreePorts.next() + " ")
                .replace("min_free: 1GiB ", "min_free: 1MiB ")
                .replaceFirst("(?m)^  resolvers: \\[[^]]*]", "  resolvers: [\"127.0.0.1:" + FreePorts.next() + "\"]");
        Files.createDirectories(checkout.resolve("conf"));
        Files.writeString(checkout.resolve("conf/sluice.yaml"), yaml, StandardCharsets.UTF_8);
        Files.copy(ROOT.resolve("conf/shaping.yaml"), checkout.resolve("conf/shaping.yaml")); // shaping.file
        Files.copy(ROOT.resolve("conf/bounce-rules.yaml"), checkout.resolve("conf/bounce-rules.yaml")); // bounces.rules
        Path token = checkout.resolve("data/admin.token");
        assertThat(token).doesNotExist();

        try (DaemonProcess daemon = DaemonProcess.launchIn(checkout, "run")) {
            daemon.awaitLine("sluice ready", 90);
            assertThat(daemon.output()).anyMatch(l -> l.contains("created admin token file")
                    && l.contains(token.toString()));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
            assertThat(Files.readString(token).strip()).matches("[A-Za-z0-9_-]{43}");

            try (DaemonProcess status = DaemonProcess.launchIn(checkout, "status")) {
                int exit = status.awaitExit(60);
                assertThat(exit).as(String.join("\n", status.output())).isZero();
                assertThat(String.join("\n", status.output())).contains("pending");
            }
            assertThat(daemon.terminate()).isZero();
        }
        String before = Files.readString(token);
        try (DaemonProcess again = DaemonProcess.launchIn(checkout, "run")) {
            again.awaitLine("sluice ready", 90);
            assertThat(again.output()).noneMatch(l -> l.contains("created admin token file"));
            assertThat(again.terminate()).isZero();
        }
        assertThat(Files.readString(token)).as("an existing token is never replaced").isEqualTo(before);
    }
}
