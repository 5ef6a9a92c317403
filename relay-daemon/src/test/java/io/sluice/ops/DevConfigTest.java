package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.config.SettingsLoader;
import io.sluice.daemon.Daemon;
import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.Submitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/examples/dev.yaml, the README's quick start, as shipped: only its ports and data paths are moved (so the test
 * never collides with a running daemon). A message to a domain with no DNS at all reaches the capture sink (here
 * SubEthaSMTP on the sink's address) through the smarthost route.
 */
class DevConfigTest {
    private static final Path DEV = OpsFiles.ROOT.resolve("conf/examples/dev.yaml");

    @TempDir
    Path dir;

    @Test
    void shouldRelayEveryMessageToTheLocalSink() throws Exception {
        int smtp = FreePorts.next();
        int admin = FreePorts.next();
        int sinkPort = FreePorts.next();
        String yaml = Files.readString(DEV)
                .replace("port: 2525", "port: " + smtp)
                .replace("port: 8025", "port: " + admin)
                .replace("port: 2526", "port: " + sinkPort)
                .replace("data/dev/", dir + "/");
        String settings = yaml.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
        assertThat(settings).as("every port and path was moved").doesNotContain("data/dev/").doesNotContain("2525")
                .doesNotContain("8025").doesNotContain("2526");
        Path config = dir.resolve("dev.yaml");
        Files.writeString(config, yaml);
        try (MxSink sink = MxSink.start("127.0.0.1", sinkPort);
             Daemon daemon = Daemon.start(SettingsLoader.load(config));
             Submitter submitter = new Submitter("127.0.0.1", smtp)) {
            submitter.submit("dev@client.test", "user@example.net");
            await().atMost(Duration.ofSeconds(15)).until(() -> sink.messages().size() == 1);
            assertThat(sink.messages().get(0).recipients()).containsExactly("user@example.net");
        }
    }
}
