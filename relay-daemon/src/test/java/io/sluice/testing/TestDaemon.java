package io.sluice.testing;

import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.daemon.Daemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real daemon, in-process, on free loopback ports, from a real YAML file written to a temp dir. Tests add YAML
 * lines to the listener, {@code smtp}, {@code journal}, {@code queue}, {@code delivery} and {@code admin} sections.
 *
 * <p>Network safety: the daemon delivers pending mail, so DNS always points at loopback. By default at a free
 * loopback port where nothing listens (lookups fail or time out within {@link #UNUSED_DNS_TIMEOUT}, so mail is
 * deferred and never leaves the machine); tests that deliver pass a {@link TestDnsServer} with {@link Builder#dns}
 * and allow loopback MX hosts with {@code delivery("allow_private_mx: true")}.
 */
public final class TestDaemon implements AutoCloseable {
    /** {@code dns.timeout} when no test DNS server is given. */
    static final String UNUSED_DNS_TIMEOUT = "200ms";

    private final Daemon daemon;
    private final Path dir;
    private final Path config;

    private TestDaemon(Daemon daemon, Path dir, Path config) {
        this.daemon = daemon;
        this.dir = dir;
        this.config = config;
    }

    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    public int smtpPort() {
        return daemon.smtpPort(0);
    }

    public int adminPort() {
        return daemon.adminPort();
    }

    public Path journalDir() {
        return dir.resolve("journal");
    }

    /** The JSON-lines event log of this daemon. */
    public Path eventLog() {
        return dir.resolve("events").resolve("events.jsonl");
    }

    public Path config() {
        return config;
    }

    public Daemon daemon() {
        return daemon;
    }

    public SmtpClient connect() throws java.io.IOException {
        return new SmtpClient("127.0.0.1", smtpPort());
    }

    @Override
    public void close() {
        daemon.shutdown();
    }

    /** Config fragments; each is a block of YAML lines without leading indentation. */
    public static final class Builder {
        private final Path dir;
        private final StringBuilder listener = new StringBuilder();
        private final StringBuilder smtp = new StringBuilder();
        private final StringBuilder journal = new StringBuilder();
        private final StringBuilder queue = new StringBuilder();
        private final StringBuilder delivery = new StringBuilder();
        private final StringBuilder admin = new StringBuilder();
        private final StringBuilder topLevel = new StringBuilder();
        private final StringBuilder moreListeners = new StringBuilder();
        private String dnsResolver;
        private String dnsTimeout = UNUSED_DNS_TIMEOUT;

        private Builder(Path dir) {
            this.dir = dir;
        }

        public Builder listener(String yamlLines) {
            listener.append(indent(yamlLines, "    "));
            return this;
        }

        /** Another listener after the default one: its keys, without leading indentation (name, port, ...). */
        public Builder anotherListener(String yamlLines) {
            String indented = indent(yamlLines, "    ");
            moreListeners.append("  - ").append(indented.substring(4));
            return this;
        }

        public Builder smtp(String yamlLines) {
            smtp.append(indent(yamlLines, "  "));
            return this;
        }

        public Builder journal(String yamlLines) {
            journal.append(indent(yamlLines, "  "));
            return this;
        }

        public Builder queue(String yamlLines) {
            queue.append(indent(yamlLines, "  "));
            return this;
        }

        public Builder delivery(String yamlLines) {
            delivery.append(indent(yamlLines, "  "));
            return this;
        }

        /** Top-level YAML appended as written (e.g. {@code sources}, {@code pools}, {@code routes}). */
        public Builder topLevel(String yaml) {
            topLevel.append(yaml.endsWith("\n") ? yaml : yaml + "\n");
            return this;
        }

        public Builder admin(String yamlLines) {
            admin.append(indent(yamlLines, "  "));
            return this;
        }

        /** Resolves through {@code server} (on loopback) instead of the default unused loopback port. */
        public Builder dns(TestDnsServer server) {
            dnsResolver = server.resolverSpec();
            dnsTimeout = "2s";
            return this;
        }

        /** Writes the YAML that {@link #start} would use and returns its path. */
        public Path writeConfig() throws Exception {
            String yaml = "listeners:\n"
                    + "  - name: default\n"
                    + "    address: 127.0.0.1\n"
                    + "    port: " + FreePorts.next() + "\n"
                    + listener
                    + moreListeners
                    + "smtp:\n"
                    + "  hostname: mx.sluice.test\n"
                    + smtp
                    + "journal:\n"
                    + "  dir: " + dir.resolve("journal") + "\n"
                    + (journal.indexOf("min_free:") < 0 ? "  min_free: 1MiB\n" : "")
                    + journal
                    + (queue.length() > 0 ? "queue:\n" + queue : "")
                    + "dns:\n"
                    + "  resolvers: [\"" + (dnsResolver != null ? dnsResolver : "127.0.0.1:" + FreePorts.next())
                    + "\"]\n"
                    + "  timeout: " + dnsTimeout + "\n"
                    + (delivery.length() > 0 ? "delivery:\n" + delivery : "")
                    + "admin:\n"
                    + "  port: " + FreePorts.next() + "\n"
                    + admin
                    + "events:\n"
                    + "  log_file: " + dir.resolve("events").resolve("events.jsonl") + "\n"
                    + topLevel;
            Path config = dir.resolve("sluice.yaml");
            Files.writeString(config, yaml, StandardCharsets.UTF_8);
            return config;
        }

        public TestDaemon start() throws Exception {
            Path config = writeConfig();
            Settings settings = SettingsLoader.load(config);
            return new TestDaemon(Daemon.start(settings), dir, config);
        }

        private static String indent(String lines, String prefix) {
            StringBuilder sb = new StringBuilder();
            for (String line : lines.split("\n")) {
                sb.append(prefix).append(line).append('\n');
            }
            return sb.toString();
        }
    }
}
