package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.config.SettingsLoader;
import io.sluice.daemon.Daemon;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.Submitter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/examples/feedback.yaml, the README's "Try the feedback loop", as shipped: only its ports and data paths are
 * moved. A message reaches the capture sink with a VERP return path and one-click unsubscribe headers, and the link's
 * POST to the web listener unsubscribes.
 */
class FeedbackExampleConfigTest {
    private static final Path EXAMPLE = OpsFiles.ROOT.resolve("conf/examples/feedback.yaml");

    @TempDir
    Path dir;

    @Test
    void shouldSendWithVerpAndUnsubscribeHeadersAndTakeTheClick() throws Exception {
        int smtp = FreePorts.next();
        int admin = FreePorts.next();
        int sinkPort = FreePorts.next();
        int feedback = FreePorts.next();
        int web = FreePorts.next();
        String yaml = Files.readString(EXAMPLE)
                .replace("port: 2525", "port: " + smtp)
                .replace("port: 8025", "port: " + admin)
                .replace("port: 2526", "port: " + sinkPort)
                .replace("port: 2527", "port: " + feedback)
                .replace("port: 8080", "port: " + web)
                .replace("data/feedback/", dir + "/");
        String settings = yaml.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
        assertThat(settings).as("every port and path was moved").doesNotContain("data/feedback/")
                .doesNotContain("port: 2525").doesNotContain("port: 8025").doesNotContain("port: 2526")
                .doesNotContain("port: 2527").doesNotContain("port: 8080"); // not bare numbers: the temp dir has digits
        Path config = dir.resolve("feedback.yaml");
        Files.writeString(config, yaml);
        try (MxSink sink = MxSink.start("127.0.0.1", sinkPort);
             Daemon daemon = Daemon.start(SettingsLoader.load(config));
             Submitter submitter = new Submitter("127.0.0.1", smtp)) {
            submitter.submit("feedback-example@client.test", "user@example.net");
            await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 1);
            MxSink.Received m = sink.messages().get(0);
            assertThat(m.sender()).matches("b\\+[a-z2-7]{34}@bounces\\.feedback\\.localhost");
            Matcher link = Pattern.compile("<https://unsubscribe\\.feedback\\.localhost/u/([A-Za-z0-9_-]+)>")
                    .matcher(new String(m.bytes(), StandardCharsets.UTF_8));
            assertThat(link.find()).isTrue();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + web + "/u/" + link.group(1)))
                    .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("user@example.net").contains("client.test");
        }
    }
}
