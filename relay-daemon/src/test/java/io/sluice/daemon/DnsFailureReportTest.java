package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.EventLines;
import io.sluice.testing.FreePorts;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS that does not answer, as on a machine without the resolver the config names (issue: the old default
 * 127.0.0.1:53): the real daemon resolves through a loopback port where nothing listens. The deferral reason in the
 * event log reads in words, {@code /readyz} stays 200 but says DNS is failing, and {@code status} reports it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DnsFailureReportTest {
    private static final String TOKEN = "dns-test-admin-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void shouldDeferInWordsAndReportDnsInReadinessAndStatus() throws Exception {
        int deadPort = FreePorts.next();
        Path token = Files.writeString(dir.resolve("admin.token"), TOKEN + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path config = TestDaemon.in(dir).admin("token_file: " + token).writeConfig();
        String yaml = Files.readString(config).replaceFirst("resolvers: \\[\"[^\"]*\"]",
                "resolvers: [\"127.0.0.1:" + deadPort + "\"]");
        Files.writeString(config, yaml);
        try (Daemon daemon = Daemon.start(io.sluice.config.SettingsLoader.load(config))) {
            HttpClient http = HttpClient.newHttpClient();
            try (Submitter submitter = new Submitter("127.0.0.1", daemon.smtpPort(0))) {
                submitter.submit("<dns-1@client.test>", "rcpt@example.test");
            }
            Path events = dir.resolve("events").resolve("events.jsonl");
            EventLines.Event deferred = await().atMost(Duration.ofSeconds(30)).until(
                    () -> EventLines.read(events).stream().filter(e -> "deferred".equals(e.type())).findFirst()
                            .orElse(null), e -> e != null);
            String text = EventLines.field(deferred.line(), "text");
            assertThat(text).contains("DNS resolver 127.0.0.1:" + deadPort + " unreachable")
                    .doesNotContain("Exception");

            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.adminPort() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as("mail is still accepted").isEqualTo(200);
            assertThat(ready.body()).startsWith("ready; warning: DNS failing: DNS resolver 127.0.0.1:" + deadPort
                    + " unreachable");

            HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.adminPort() + "/admin/status"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.body()).contains("\"dns\":{\"resolvers\":[\"127.0.0.1:" + deadPort
                    + "\"],\"source\":\"dns.resolvers\",\"failing\":true,\"failure\":\"DNS resolver 127.0.0.1:"
                    + deadPort + " unreachable");
        }
    }
}
