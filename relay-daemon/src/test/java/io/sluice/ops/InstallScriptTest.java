package io.sluice.ops;

import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/install.sh staged into a scratch root with {@code --destdir}: the FHS layout, idempotence down to inode
 * and ctime, an operator's edited config surviving an upgrade, and an installed config that the daemon's own
 * loader accepts with absolute state and log paths. Runs bash as a child process; never touches the real system
 * (with --destdir the script creates no user, chowns nothing and calls no systemctl).
 */
class InstallScriptTest {
    private static final Path SCRIPT = OpsFiles.ROOT.resolve("scripts/install.sh");

    @TempDir
    Path tmp;

    @Test
    void shouldInstallTheFhsLayoutIntoDestdir() throws Exception {
        Path root = tmp.resolve("root");
        Result r = install(root, jar("v1"));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(root.resolve("usr/share/sluice/sluice.jar")).hasContent("v1");
        assertThat(root.resolve("usr/share/sluice/sluice")).hasSameBinaryContentAs(OpsFiles.ROOT.resolve("scripts/sluice"));
        assertThat(mode(root.resolve("usr/share/sluice/sluice"))).isEqualTo(0755);
        assertThat(Files.readSymbolicLink(root.resolve("usr/bin/sluice"))).isEqualTo(Path.of("/usr/share/sluice/sluice"));
        assertThat(root.resolve("etc/systemd/system/sluice.service"))
                .hasSameBinaryContentAs(OpsFiles.ROOT.resolve("systemd/sluice.service"));
        assertThat(mode(root.resolve("etc/sluice"))).isEqualTo(0750);
        assertThat(mode(root.resolve("etc/sluice/sluice.yaml"))).isEqualTo(0640);
        assertThat(root.resolve("etc/sluice/sluice.yaml.dist")).hasSameBinaryContentAs(root.resolve("etc/sluice/sluice.yaml"));
        assertThat(mode(root.resolve("var/lib/sluice"))).isEqualTo(0750);
        assertThat(mode(root.resolve("var/log/sluice"))).isEqualTo(0750);
        assertThat(root.resolve("usr/share/doc/sluice/operations.md")).hasSameBinaryContentAs(
                OpsFiles.ROOT.resolve("docs/operations.md"));
        assertThat(root.resolve("usr/share/sluice/prometheus/alerts.yml")).hasSameBinaryContentAs(OpsFiles.ALERTS);
        assertThat(root.resolve("usr/share/sluice/grafana/sluice.json")).hasSameBinaryContentAs(OpsFiles.DASHBOARD);
    }

    @Test
    void shouldChangeNothingWhenRunTwice() throws Exception {
        Path root = tmp.resolve("root");
        Path jar = jar("v1");
        assertThat(install(root, jar).exit).isZero();
        Map<String, String> before = snapshot(root);

        Result second = install(root, jar);

        assertThat(second.exit).as(second.output).isZero();
        assertThat(second.output).contains("nothing to change").doesNotContain("installed", "created", "linked");
        assertThat(snapshot(root)).isEqualTo(before);
    }

    @Test
    void shouldKeepAnEditedConfigAndReplaceTheJarOnUpgrade() throws Exception {
        Path root = tmp.resolve("root");
        assertThat(install(root, jar("v1")).exit).isZero();
        Path config = root.resolve("etc/sluice/sluice.yaml");
        String edited = Files.readString(config).replace("port: 2525", "port: 25");
        Files.writeString(config, edited);

        Result upgrade = install(root, jar("v2"));

        assertThat(upgrade.exit).as(upgrade.output).isZero();
        assertThat(config).hasContent(edited);
        assertThat(root.resolve("etc/sluice/sluice.yaml.dist")).content().contains("port: 2525");
        assertThat(root.resolve("usr/share/sluice/sluice.jar")).hasContent("v2");
        assertThat(upgrade.output).contains("installed /usr/share/sluice/sluice.jar", "kept your /etc/sluice/sluice.yaml")
                .doesNotContain("installed /etc/sluice/sluice.yaml\n");
    }

    @Test
    void shouldInstallAConfigWithAbsoluteStatePathsAndOtherwiseTheShippedValues() throws Exception {
        Path root = tmp.resolve("root");
        assertThat(install(root, jar("v1")).exit).isZero();

        // The installed config names /etc/sluice/admin.token; load a copy that points at the staged token instead.
        Path token = root.resolve("etc/sluice/admin.token");
        assertThat(mode(token)).isEqualTo(0600);
        assertThat(Files.readString(token)).matches("[0-9a-f]{64}");
        Path staged = tmp.resolve("staged.yaml");
        String text = Files.readString(root.resolve("etc/sluice/sluice.yaml"));
        assertThat(text).contains("  token_file: /etc/sluice/admin.token ");
        Files.writeString(staged, text.replace("/etc/sluice/admin.token", token.toString()));
        // shaping.file (shaping.yaml) resolves beside the config: the shipped rules, installed beside it too.
        assertThat(root.resolve("etc/sluice/shaping.yaml")).hasSameTextualContentAs(
                OpsFiles.ROOT.resolve("conf/shaping.yaml"));
        Files.copy(root.resolve("etc/sluice/shaping.yaml"), tmp.resolve("shaping.yaml"));
        // bounces.rules (bounce-rules.yaml) likewise.
        assertThat(root.resolve("etc/sluice/bounce-rules.yaml")).hasSameTextualContentAs(
                OpsFiles.ROOT.resolve("conf/bounce-rules.yaml"));
        Files.copy(root.resolve("etc/sluice/bounce-rules.yaml"), tmp.resolve("bounce-rules.yaml"));
        Settings installed = SettingsLoader.load(staged);
        Settings shipped = SettingsLoader.load(OpsFiles.ROOT.resolve("conf/sluice.yaml"));
        assertThat(installed.admin().tokenFile()).isEqualTo(token);

        assertThat(installed.journal().dir()).isEqualTo(Path.of("/var/lib/sluice/journal"));
        assertThat(installed.events().logFile()).isEqualTo(Path.of("/var/log/sluice/events.jsonl"));
        assertThat(installed.journal()).usingRecursiveComparison().ignoringFields("dir").isEqualTo(shipped.journal());
        assertThat(installed.events()).usingRecursiveComparison().ignoringFields("logFile").isEqualTo(shipped.events());
        assertThat(installed.admin()).usingRecursiveComparison().ignoringFields("tokenFile").isEqualTo(shipped.admin());
        assertThat(List.of(installed.listeners(), installed.smtp(), installed.queue(), installed.dns(),
                installed.delivery()))
                .isEqualTo(List.of(shipped.listeners(), shipped.smtp(), shipped.queue(), shipped.dns(),
                        shipped.delivery()));
    }

    @Test
    void shouldRefuseWithoutABuiltJar() throws Exception {
        Path root = tmp.resolve("root");
        Result r = install(root, tmp.resolve("missing.jar"));

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("missing.jar not found", "./mvnw -q -B package -DskipTests");
        assertThat(root.resolve("usr")).doesNotExist();
    }

    private Path jar(String content) throws IOException {
        Path jar = tmp.resolve("sluice-" + content + ".jar");
        Files.writeString(jar, content);
        return jar;
    }

    private static Result install(Path destdir, Path jar) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "--destdir", destdir.toString(),
                "--jar", jar.toString()).redirectErrorStream(true);
        pb.environment().remove("DESTDIR");
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("install.sh finished").isTrue();
        return new Result(p.exitValue(), output);
    }

    /** Every path under root with type, mode, inode, mtime, ctime and content or link target. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,lastModifiedTime,ctime",
                        LinkOption.NOFOLLOW_LINKS);
                String content = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                        : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        ? Integer.toHexString(java.util.Arrays.hashCode(Files.readAllBytes(p))) : "dir";
                state.put(root.relativize(p).toString(), a.get("mode") + " " + a.get("ino") + " "
                        + a.get("lastModifiedTime") + " " + a.get("ctime") + " " + content);
            }
        }
        return state;
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private record Result(int exit, String output) {
    }
}
