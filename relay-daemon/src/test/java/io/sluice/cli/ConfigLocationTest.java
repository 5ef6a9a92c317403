package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a command finds the daemon's config: {@code -c/--config}, then {@code $SLUICE_CONFIG}, then
 * {@code ./conf/sluice.yaml} when it exists, then {@code /etc/sluice/sluice.yaml}; and that every command that
 * reads a config takes {@code -c}.
 */
class ConfigLocationTest {
    @TempDir
    Path dir;

    @Test
    void shouldPreferTheOptionThenTheEnvironmentThenTheCheckoutThenEtc() throws Exception {
        Path explicit = dir.resolve("explicit.yaml");
        Path fromEnv = dir.resolve("env.yaml");
        assertThat(ConfigLocation.find(null, null, dir)).isEqualTo(Path.of("/etc/sluice/sluice.yaml"));
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/sluice.yaml"), "listeners: []\n");
        assertThat(ConfigLocation.find(null, null, dir)).isEqualTo(dir.resolve("conf/sluice.yaml"));
        assertThat(ConfigLocation.find(null, "  ", dir)).isEqualTo(dir.resolve("conf/sluice.yaml"));
        assertThat(ConfigLocation.find(null, fromEnv.toString(), dir)).isEqualTo(fromEnv);
        assertThat(ConfigLocation.find(explicit, fromEnv.toString(), dir)).isEqualTo(explicit);
    }

    @Test
    void shouldNameTheCheckoutConfigRelativelyFromTheWorkingDirectory() {
        // The test's working directory is relay-daemon/, which has no conf/: the system path is the fallback.
        assertThat(ConfigLocation.find(null, null, Path.of(""))).isEqualTo(Path.of("/etc/sluice/sluice.yaml"));
    }

    @Test
    void shouldTakeDashCOnEveryCommandThatReadsAConfig() throws Exception {
        Path missing = dir.resolve("nowhere.yaml");
        for (String[] command : new String[][] {{"check-config"}, {"reload"}, {"run"}, {"status"}, {"queue"},
                {"inspect", "0123456789abcdef"}, {"flush"}, {"suspend", "--domain", "a.test"},
                {"resume", "--domain", "a.test"}, {"hold", "--id", "0123456789abcdef"},
                {"release", "--id", "0123456789abcdef"}, {"journal", "dump"}}) {
            String[] args = new String[command.length + 2];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "-c";
            args[command.length + 1] = missing.toString();
            CliRun run = CliRun.sluice(args);
            assertThat(run.err()).as(String.join(" ", command)).doesNotContain("Unknown option")
                    .contains(missing.toString());
            assertThat(run.exit()).as(String.join(" ", command)).isNotZero();
        }
    }
}
