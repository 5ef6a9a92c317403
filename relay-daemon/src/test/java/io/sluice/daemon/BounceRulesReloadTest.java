package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.ReloadFixture;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounce rules are reloadable: a provider's reply no shipped rule knows bounces as {@code onhold}; the operator
 * adds a rule for it to {@code bounces.rules_overrides} and reloads; the next bounce with that reply gets the new
 * rule's reason. A broken overrides file is refused by the reload (nothing changes) and names file, line and key.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BounceRulesReloadTest {
    private static final String REPLY = "5.0.0 Provider-X says no (code PX-17)";

    @TempDir
    Path dir;

    @Test
    void shouldClassifyWithTheRulesOfTheLastReload() throws Exception {
        int mxPort = FreePorts.next();
        Path overrides = dir.resolve("my-rules.yaml");
        Files.writeString(overrides, "rules: []\n");
        try (TestDnsServer dns = TestDnsServer.start("test");
             MxSink sink = MxSink.start("127.0.0.2", mxPort).rejectRecipients("px", 550, REPLY)) {
            dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.2");
            TestDaemon.Builder builder = TestDaemon.in(dir).dns(dns)
                    .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\ntls: none\ndsn: false")
                    .topLevel("bounces:\n  rules_overrides: " + overrides + "\n");
            Path events = dir.resolve("events").resolve("events.jsonl");
            try (ReloadFixture f = ReloadFixture.start(builder, dir)) {
                try (Submitter s = new Submitter("127.0.0.1", f.smtpPort())) {
                    s.submit("m1@client.test", "px1@dest.test");
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> bounced(events, "px1@dest.test") != null);
                assertThat(bounced(events, "px1@dest.test")).contains("\"reason\":\"onhold\"");

                Files.writeString(overrides, "rules:\n  - {name: px-17, reason: blocked, text: \"(code px-17)\"}\n");
                assertThat(f.daemon.reload().applied()).isTrue();
                try (Submitter s = new Submitter("127.0.0.1", f.smtpPort())) {
                    s.submit("m2@client.test", "px2@dest.test");
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> bounced(events, "px2@dest.test") != null);
                assertThat(bounced(events, "px2@dest.test")).contains("\"reason\":\"blocked\"");

                Files.writeString(overrides, "rules:\n  - {name: broken, reason: nosuchreason}\n");
                var refused = f.daemon.reload();
                assertThat(refused.applied()).isFalse();
                assertThat(String.join("\n", refused.errors())).contains("my-rules.yaml:2")
                        .contains("rules[0].reason: unknown reason nosuchreason");
            }
        }
    }

    private static String bounced(Path events, String recipient) throws Exception {
        if (!Files.exists(events)) {
            return null;
        }
        List<String> lines = Files.readAllLines(events, StandardCharsets.UTF_8);
        return lines.stream().filter(l -> l.contains("\"type\":\"bounced\"") && l.contains(recipient)).findFirst()
                .orElse(null);
    }
}
