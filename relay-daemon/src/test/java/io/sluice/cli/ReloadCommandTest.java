package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.FreePorts;
import io.sluice.testing.ReloadFixture;
import io.sluice.testing.TestDaemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice reload} against a real daemon on loopback, through {@code POST /admin/reload}: output and exit
 * codes (0 applied, 1 not applied, 2 not reachable or refused), the route's JSON, and the token check.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReloadCommandTest {
    @TempDir
    Path dir;

    /** The last run (picocli's writers captured; the in-process daemon logs to stderr). */
    private CliRun last = new CliRun(0, "", "");

    private int sluice(String... args) {
        last = CliRun.sluice(args);
        return last.exit();
    }

    private String out() {
        return last.out();
    }

    private String err() {
        return last.err();
    }

    /** The {@code admin} event of the reload (the event log is written asynchronously). */
    private String awaitReloadEvent() {
        Path log = dir.resolve("events").resolve("events.jsonl");
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> io.sluice.testing.EventLines.read(log).stream()
                        .filter(e -> "admin".equals(e.type()) && e.line().contains("\"action\":\"reload\""))
                        .map(io.sluice.testing.EventLines.Event::line).findFirst().orElse(null),
                        java.util.Objects::nonNull);
    }

    @Test
    void shouldApplyAValidChangeAndExitZero() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).smtp("max_recipients: 5"), dir)) {
            f.edit("max_recipients: 5", "max_recipients: 3");
            assertThat(sluice("reload", "--config", f.config.toString())).isZero();
            assertThat(out()).isEqualTo("reloaded\n");
            assertThat(err()).isEmpty();
            assertThat(f.daemon.settings().current().smtp().maxRecipients()).isEqualTo(3);
            assertThat(awaitReloadEvent()).as("the admin event").contains("\"actor\":\"admin-api\"",
                    "\"count\":1", "\"text\":\"applied\"", "\"target\":\"" + f.config);
        }
    }

    @Test
    void shouldPrintTheFileErrorsAndExitOneWhenInvalid() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).smtp("max_recipients: 5"), dir)) {
            f.edit("max_recipients: 5", "max_recipients: 3\n  bogus: 1");
            assertThat(sluice("reload", "-c", f.config.toString())).isEqualTo(1);
            assertThat(out()).isEmpty();
            assertThat(err().lines().toList()).containsExactly(
                    f.config + ":" + f.lineOf("bogus") + ": smtp.bogus: unknown key",
                    "sluice reload: nothing applied; the running config stays in force");
            assertThat(f.daemon.settings().current().smtp().maxRecipients()).isEqualTo(5);
            assertThat(awaitReloadEvent()).as("the admin event").contains("\"count\":0", "smtp.bogus: unknown key");
        }
    }

    @Test
    void shouldPrintRequiresRestartAndExitOne() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir), dir)) {
            int port = f.smtpPort();
            f.edit("port: " + port, "port: " + FreePorts.next());
            assertThat(sluice("reload", "--config", f.config.toString())).isEqualTo(1);
            assertThat(err().lines().toList()).containsExactly("requires restart: listeners[0].port",
                    "sluice reload: nothing applied; the running config stays in force");
            assertThat(f.smtpPort()).isEqualTo(port);
        }
    }

    @Test
    void shouldExitThreeWhenTheTokenIsRefused() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir), dir)) {
            Path wrongToken = ReloadFixture.writeToken(dir.resolve("wrong.token"), "not-the-daemon-token-42");
            Path other = dir.resolve("other.yaml");
            Files.writeString(other, Files.readString(f.config).replace(f.tokenFile.toString(),
                    wrongToken.toString()));
            assertThat(sluice("reload", "--config", other.toString())).as("token refused").isEqualTo(3);
            assertThat(err()).startsWith("sluice reload: http://127.0.0.1:" + f.adminPort()
                    + "/admin/reload answered 401: missing or wrong bearer token");
        }
    }

    @Test
    void shouldExitTwoWhenNoDaemonListens() throws Exception {
        Path token = ReloadFixture.writeToken(dir.resolve("t"), ReloadFixture.TOKEN);
        int port = FreePorts.next();
        Path config = Files.writeString(dir.resolve("sluice.yaml"),
                "admin:\n  port: " + port + "\n  token_file: " + token + "\n");
        assertThat(sluice("reload", "--config", config.toString())).isEqualTo(2);
        assertThat(err()).startsWith("sluice reload: cannot reach the daemon at http://127.0.0.1:" + port
                + "/admin/reload: ");
    }

    @Test
    void shouldExitTwoWithoutATokenFile() throws Exception {
        Path config = Files.writeString(dir.resolve("sluice.yaml"), "admin:\n  port: 8025\n");
        assertThat(sluice("reload", "--config", config.toString())).isEqualTo(2);
        assertThat(err()).isEqualTo("sluice reload: " + config
                + ": admin.token_file is not set; the admin API is off (set it, or send SIGHUP: systemctl kill -s HUP"
                + " sluice)\n");
    }

    @Test
    void shouldDescribeItselfAndTheDefaultConfigInHelp() {
        assertThat(sluice("reload", "--help")).isZero();
        assertThat(out()).contains("Usage: sluice reload", "/etc/sluice/sluice.yaml", "requires restart",
                "Exit status: 0 applied, 1 not applied");
    }

    @Test
    void shouldAnswerTheRouteWithJsonAndRefuseAMissingToken() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).smtp("max_recipients: 5"), dir)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + f.adminPort() + "/admin/reload");
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);

            f.edit("max_recipients: 5", "max_recipients: \"x\"");
            HttpResponse<String> invalid = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + ReloadFixture.TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(invalid.statusCode()).isEqualTo(200);
            assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            ReloadReply reply = ReloadReply.parse(invalid.body());
            assertThat(reply.applied()).isFalse();
            assertThat(reply.errors()).singleElement().asString()
                    .startsWith(f.config + ":" + f.lineOf("max_recipients") + ": smtp.max_recipients: ");
            assertThat(reply.requiresRestart()).isEmpty();

            f.edit("max_recipients: \"x\"", "max_recipients: 7");
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + ReloadFixture.TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.body()).isEqualTo("{\"applied\":true,\"errors\":[],\"requiresRestart\":[]}\n");
            assertThat(f.daemon.settings().current().smtp().maxRecipients()).isEqualTo(7);
        }
    }

    @Test
    void shouldReadEscapesAndRejectAnythingButTheReplyShape() {
        ReloadReply reply = ReloadReply.parse(
                "{\"applied\":false,\"errors\":[\"a\\\"b\\u00e9\\n\"],\"requiresRestart\":[\"journal.dir\"],"
                        + "\"later\":true}");
        assertThat(reply).isEqualTo(new ReloadReply(false, List.of("a\"b\u00e9\n"), List.of("journal.dir")));
        for (String bad : List.of("", "{}", "{\"applied\":1}", "{\"applied\":true} x", "<html>")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReloadReply.parse(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
