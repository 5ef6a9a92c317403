package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.SettingsLoader;
import io.sluice.testing.TestDaemon;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice check-config} runs the daemon's start-up checks: a file it passes is one the
 * daemon starts with. Ports are a warning unless {@code --check-ports}, since the running daemon holds its own.
 */
class CheckConfigCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAFifteenCharacterTokenAsTheDaemonDoes() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "abcdefghijklmno\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path config = TestDaemon.in(dir).admin("token_file: " + token).writeConfig();

        CliRun run = CliRun.sluice("check-config", config.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains(config + ": admin.token_file: admin token file " + token
                + ": token is shorter than 16 characters");
        assertThat(run.out()).doesNotContain("ok");
    }

    @Test
    void shouldAcceptAMissingTokenFileThatTheDaemonWillCreateAndSaySo() throws Exception {
        Path token = dir.resolve("data/admin.token");
        Path config = TestDaemon.in(dir).admin("token_file: " + token).writeConfig();

        CliRun run = CliRun.sluice("check-config", "-c", config.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("note: " + config + ": admin.token_file: " + token
                + " does not exist yet; the daemon creates it").contains(": ok");
        assertThat(token).as("check-config only reads").doesNotExist();
    }

    @Test
    void shouldRefuseAMissingTokenFileThatCannotBeCreated() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("data"), "a file where the directory should be\n");
        Path token = notADirectory.resolve("admin.token");
        Path config = TestDaemon.in(dir).admin("token_file: " + token).writeConfig();

        CliRun run = CliRun.sluice("check-config", config.toString());

        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.err()).contains(config + ": admin.token_file: cannot create admin token file " + token
                + ": " + notADirectory + " is not a directory");
    }

    @Test
    void shouldRefuseAnUnusableTlsCertificate() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        Path config = TestDaemon.in(dir).listener("tls: starttls\ntls_cert: " + cert + "\ntls_key: " + key)
                .writeConfig();

        CliRun run = CliRun.sluice("check-config", config.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains(config + ": listeners[0].tls_cert: " + cert + " with tls_key " + key
                + ": not a usable certificate and key");
    }

    @Test
    void shouldWarnAboutAPortInUseAndFailOnItOnlyWithCheckPorts() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "a-token-of-sixteen-or-more\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path config = TestDaemon.in(dir).admin("token_file: " + token).writeConfig();
        int port = SettingsLoader.load(config).listeners().get(0).port();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", port));

            CliRun lenient = CliRun.sluice("check-config", config.toString());
            assertThat(lenient.exit()).as(lenient.err()).isZero();
            assertThat(lenient.out()).contains(config + ": ok (1 listener(s))");
            assertThat(lenient.err()).contains("warning: " + config + ": listeners[0].port: listener default: "
                    + "cannot bind 127.0.0.1:" + port + " now");

            CliRun strict = CliRun.sluice("check-config", "--check-ports", config.toString());
            assertThat(strict.exit()).as(strict.err()).isEqualTo(1);
            assertThat(strict.err()).contains(config + ": listeners[0].port: listener default: cannot bind "
                    + "127.0.0.1:" + port + " now").doesNotContain("warning: " + config + ": listeners");
        }
        CliRun free = CliRun.sluice("check-config", "--check-ports", config.toString());
        assertThat(free.exit()).as(free.err()).isZero();
        assertThat(free.err()).as("only the postmaster_address warning is left")
                .doesNotContain("cannot bind").contains("smtp.postmaster_address");
    }

    @Test
    void shouldWarnWhenNoPostmasterAddressIsSet() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "a-token-of-sixteen-or-more\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path unset = TestDaemon.in(dir).admin("token_file: " + token).writeConfig();

        CliRun run = CliRun.sluice("check-config", unset.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("warning: " + unset + ": smtp.postmaster_address: not set, so RCPT "
                + "TO:<postmaster> is refused");

        Path set = TestDaemon.in(dir).admin("token_file: " + token).smtp("postmaster_address: ops@dom.test")
                .writeConfig();
        CliRun quiet = CliRun.sluice("check-config", set.toString());
        assertThat(quiet.exit()).as(quiet.err()).isZero();
        assertThat(quiet.err()).doesNotContain("postmaster");
    }

    @Test
    void shouldWarnAboutASourceAddressThatNoLocalInterfaceHas() throws Exception {
        Path config = Files.writeString(dir.resolve("sluice.yaml"), """
                sources:
                  - name: default
                    address: 127.0.0.2
                  - name: elsewhere
                    address: 192.0.2.123
                delivery:
                  bind_address: 192.0.2.124
                """);

        CliRun run = CliRun.sluice("check-config", config.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("warning: " + config + ": sources[1].address: source elsewhere: 192.0.2.123"
                + " is not assigned to any local interface").doesNotContain("sources[0]")
                .doesNotContain("delivery.bind_address");

        Path inherited = Files.writeString(dir.resolve("inherited.yaml"), "delivery:\n  bind_address: 192.0.2.124\n");
        assertThat(CliRun.sluice("check-config", inherited.toString()).err()).contains("warning: " + inherited
                + ": delivery.bind_address: source default: 192.0.2.124 is not assigned to any local interface");
    }
}
