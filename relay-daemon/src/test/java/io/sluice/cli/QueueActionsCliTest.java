package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.JournalStates;
import io.sluice.testing.MxSink;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue-steering commands ({@code flush}, {@code suspend}/{@code resume}, {@code hold}/{@code release},
 * {@code bounce}) through {@link SluiceCli} in-process against a real daemon on loopback: real SMTP submissions, a
 * {@link TestDnsServer} zone, {@link MxSink}s as the recipients' MX (127.0.0.2), the senders' MX (127.0.0.4, where
 * DSNs arrive) and a destination that is down until a test starts its sink (127.0.0.3); the admin API behind a
 * bearer token from a 0600 file, retries an hour apart. Each test uses its own domains. Asserts the effect on
 * delivery (what arrives, how often, when), the answer, the journal's states and the {@code admin} events.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueActionsCliTest {
    private static final String TOKEN = "steering-admin-token-0123456789";
    /** How long "nothing arrives" is watched: far above a delivery on loopback (tens of ms). */
    private static final Duration QUIET = Duration.ofSeconds(2);

    @TempDir
    static Path dir;

    private static TestDnsServer dns;
    private static int mxPort;
    private static MxSink sink;
    private static MxSink sendersMx;
    private static TestDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        mxPort = FreePorts.next();
        dns = TestDnsServer.start("test");
        for (String d : List.of("susp.test", "held.test")) {
            dns.mx(d, 10, "mx.ok.test");
        }
        dns.mx("site.test", 10, "mx.site.test").a("mx.site.test", "127.0.0.2");
        dns.a("mx.ok.test", "127.0.0.2");
        dns.mx("client.test", 10, "mx.client.test").a("mx.client.test", "127.0.0.4");
        for (String d : List.of("late.test", "gone.test", "stuck.test")) {
            dns.mx(d, 10, "mx." + d).a("mx." + d, "127.0.0.3");
        }
        sink = MxSink.start("127.0.0.2", mxPort);
        sendersMx = MxSink.start("127.0.0.4", mxPort);
        Path token = dir.resolve("admin.token");
        Files.writeString(token, TOKEN + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        daemon = daemon(dir.resolve("main"));
    }

    private static TestDaemon daemon(Path in) throws Exception {
        Files.createDirectories(in);
        return TestDaemon.in(in).dns(dns)
                .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\nretry:\n  first: 1h\n  max: 2h")
                .queue("dead_site_failures: 100")
                .admin("token_file: " + dir.resolve("admin.token"))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {daemon, sink, sendersMx, dns}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static CliRun sluice(TestDaemon on, String command, String... args) {
        return CliRun.admin(on, command, args);
    }

    private static CliRun ok(String command, String... args) {
        CliRun run = sluice(daemon, command, args);
        assertThat(run.exit()).as(command + ": " + run.err()).isZero();
        return run;
    }

    private static String submit(String... recipients) throws Exception {
        try (Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
            return s.submit("m-" + System.nanoTime() + "@client.test", recipients);
        }
    }

    private static long arrivedFor(MxSink at, String domain) {
        return at.messages().stream().filter(m -> m.recipients().stream().anyMatch(r -> r.endsWith("@" + domain)))
                .count();
    }

    private static List<String> adminEvents(TestDaemon on) throws Exception {
        Path log = on.eventLog();
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains("\"type\":\"admin\""))
                .toList() : List.of();
    }

    private static void quietly() throws InterruptedException {
        Thread.sleep(QUIET.toMillis());
    }

    @Test
    void shouldStopDeliveriesWhileSuspendedAndDeliverEachMessageOnceOnResume() throws Exception {
        CliRun suspended = ok("suspend", "--domain", "susp.test");
        assertThat(suspended.out()).isEqualTo("suspend domain susp.test: 0 recipients waiting\n");
        submit("a@susp.test");
        submit("b@susp.test", "c@susp.test");
        quietly();
        assertThat(arrivedFor(sink, "susp.test")).as("suspended: nothing goes out").isZero();
        Map<?, ?> status = (Map<?, ?>) JsonReader.parse(ok("status", "--json").out());
        assertThat(AdminCommand.num(AdminCommand.obj(status, "queue"), "pending_recipients")).isGreaterThanOrEqualTo(3);

        CliRun resumed = ok("resume", "--domain", "susp.test", "--json");
        assertThat(JsonReader.parse(resumed.out())).isEqualTo(Map.of("action", "resume", "target",
                "domain susp.test", "recipients", 3L, "in_flight", 0L, "dry_run", false));
        await().atMost(Duration.ofSeconds(10)).until(() -> arrivedFor(sink, "susp.test") == 2);
        quietly();
        assertThat(sink.messages().stream().filter(m -> m.recipients().get(0).endsWith("@susp.test"))
                .flatMap(m -> m.recipients().stream()).sorted().toList())
                .as("each recipient exactly once").containsExactly("a@susp.test", "b@susp.test", "c@susp.test");
        assertThat(adminEvents(daemon)).anySatisfy(l -> assertThat(l).contains("\"action\":\"suspend\"")
                .contains("\"target\":\"domain susp.test\"").contains("\"actor\":\"admin-api\"")
                .contains("\"count\":0"));
        assertThat(adminEvents(daemon)).anySatisfy(l -> assertThat(l).contains("\"action\":\"resume\"")
                .contains("\"count\":3"));
    }

    @Test
    void shouldKeepASuspendedSitesMailUntilItsDurationRunsOut() throws Exception {
        CliRun suspended = ok("suspend", "--site", "mx.site.test", "--for", "3s", "--json");
        assertThat(JsonReader.parse(suspended.out())).satisfies(m -> assertThat(
                AdminCommand.num((Map<?, ?>) m, "until_millis")).isGreaterThan(System.currentTimeMillis()));
        submit("x@site.test");
        Thread.sleep(1_500);
        assertThat(arrivedFor(sink, "site.test")).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> arrivedFor(sink, "site.test") == 1);
    }

    @Test
    void shouldFlushDeferredMailAtOnceInsteadOfAfterTheHourlyRetry() throws Exception {
        String id = submit("r@late.test");
        await().atMost(Duration.ofSeconds(10)).until(() -> "deferred".equals(JournalStates.read(daemon.journalDir())
                .get(id)));
        try (MxSink late = MxSink.start("127.0.0.3", mxPort)) {
            quietly();
            assertThat(late.messages()).as("next retry in an hour").isEmpty();
            CliRun flushed = ok("flush", "--domain", "late.test");
            assertThat(flushed.out()).isEqualTo("flush domain late.test: 1 recipients made due now\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> late.messages().size() == 1);
            assertThat(late.messages().get(0).recipients()).containsExactly("r@late.test");
            await().atMost(Duration.ofSeconds(5)).until(() -> "delivered".equals(
                    JournalStates.read(daemon.journalDir()).get(id)));
        }
        assertThat(adminEvents(daemon)).anySatisfy(l -> assertThat(l).contains("\"action\":\"flush\"")
                .contains("\"count\":1"));
    }

    @Test
    void shouldBouncePendingMailWithDsnsAfterConfirmation() throws Exception {
        String first = submit("u1@gone.test");
        String second = submit("u2@gone.test", "u3@gone.test");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Map<String, String> s = JournalStates.read(daemon.journalDir());
            return "deferred".equals(s.get(first)) && "deferred".equals(s.get(second));
        });
        assertThat(ok("bounce", "--domain", "gone.test", "--reason", "account closed", "--dry-run").out())
                .isEqualTo("bounce domain gone.test: 3 recipients would be bounced\n");

        CliRun declined = withInput("n\n", () -> sluice(daemon, "bounce", "--domain", "gone.test", "--reason", "closed"));
        assertThat(declined.exit()).isEqualTo(1);
        assertThat(declined.out()).startsWith("Bounce 3 recipients of domain gone.test? [y/N] ");
        assertThat(declined.err()).contains("not confirmed; nothing bounced");
        assertThat(JournalStates.read(daemon.journalDir()).get(first)).isEqualTo("deferred");

        CliRun confirmed = withInput("y\n", () -> sluice(daemon, "bounce", "--domain", "gone.test", "--reason",
                "account closed"));
        assertThat(confirmed.exit()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).endsWith("bounce domain gone.test: 3 recipients bounced\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Map<String, String> s = JournalStates.read(daemon.journalDir());
            return "bounced".equals(s.get(first)) && "bounced".equals(s.get(second));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> sendersMx.messages().stream()
                .filter(m -> m.sender().isEmpty()).count() >= 2);
        String dsns = sendersMx.messages().stream().map(m -> new String(m.bytes(), StandardCharsets.UTF_8))
                .reduce("", String::concat);
        assertThat(dsns).contains("Status: 5.0.0").contains("account closed").contains("u1@gone.test")
                .contains("u3@gone.test");
        assertThat(adminEvents(daemon)).anySatisfy(l -> assertThat(l).contains("\"action\":\"bounce\"")
                .contains("\"count\":3").contains("\"text\":\"account closed\""));
    }

    @Test
    void shouldHoldADomainAndOneMessageUntilReleased() throws Exception {
        ok("hold", "--domain", "held.test");
        submit("h@held.test");
        quietly();
        assertThat(arrivedFor(sink, "held.test")).isZero();
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("(?m)^sluice_queue_held_recipients 1(\\.0)?$");
        Map<?, ?> status = (Map<?, ?>) JsonReader.parse(ok("status", "--json").out());
        assertThat(AdminCommand.num(AdminCommand.obj(status, "queue"), "held")).isEqualTo(1);
        assertThat(ok("release", "--domain", "held.test").out())
                .isEqualTo("release domain held.test: 1 recipients released\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> arrivedFor(sink, "held.test") == 1);

        String id = submit("s@stuck.test");
        await().atMost(Duration.ofSeconds(10)).until(() -> "deferred".equals(JournalStates.read(daemon.journalDir())
                .get(id)));
        assertThat(ok("hold", "--id", id.toUpperCase()).out()).isEqualTo("hold id " + id + ": 1 recipients held\n");
        assertThat(ok("release", "--id", id).out()).isEqualTo("release id " + id + ": 1 recipients released\n");
        assertThat(sluice(daemon, "hold", "--id", "zz").exit()).as("usage").isEqualTo(2);
        assertThat(sluice(daemon, "hold", "--domain", "a.test", "--id", id).exit()).as("usage").isEqualTo(2);
    }

    @Test
    void shouldRefuseAWrongTokenWithExitThreeAndTheRawApiWithout() throws Exception {
        Path wrong = dir.resolve("wrong.token");
        Files.writeString(wrong, "a-different-token-0123456789\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        Path config = dir.resolve("wrong-token.yaml");
        Files.writeString(config, Files.readString(daemon.config()).replace(dir.resolve("admin.token").toString(),
                wrong.toString()));
        for (String[] args : List.of(new String[] {"flush"}, new String[] {"suspend", "--domain", "x.test"},
                new String[] {"bounce", "--domain", "x.test", "--reason", "r", "--yes"})) {
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--config";
            all[args.length + 1] = config.toString();
            CliRun run = CliRun.sluice(all);
            assertThat(run.exit()).as(args[0]).isEqualTo(3);
            assertThat(run.err()).contains("refused (401)");
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + daemon.adminPort() + "/admin/suspend?domain=x.test")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + daemon.adminPort() + "/admin/suspend?domain=x.test&site=y")).header("Authorization", "Bearer "
                + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("exactly one of domain or site");
        assertThat(adminEvents(daemon)).noneSatisfy(l -> assertThat(l).contains("x.test"));
    }

    @Test
    void shouldKeepASuspensionAcrossARestart() throws Exception {
        Path other = dir.resolve("restart");
        TestDaemon first = daemon(other);
        try {
            assertThat(sluice(first, "suspend", "--domain", "susp.test").exit()).isZero();
        } finally {
            first.close();
        }
        assertThat(Files.readString(other.resolve("journal").resolve("steering.state")))
                .contains("suspend-domain susp.test 0");
        TestDaemon second = daemon(other);
        try {
            long before = arrivedFor(sink, "susp.test");
            try (Submitter s = new Submitter("127.0.0.1", second.smtpPort())) {
                s.submit("restart@client.test", "after-restart@susp.test");
            }
            quietly();
            assertThat(arrivedFor(sink, "susp.test")).as("still suspended after restart").isEqualTo(before);
            CliRun resumed = sluice(second, "resume", "--domain", "susp.test");
            assertThat(resumed.out()).isEqualTo("resume domain susp.test: 1 recipients released\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.messages().stream()
                    .anyMatch(m -> m.recipients().contains("after-restart@susp.test")));
        } finally {
            second.close();
        }
    }

    @Test
    void shouldOfferHelpOnEverySteeringCommand() {
        for (String command : List.of("flush", "suspend", "resume", "hold", "release", "bounce")) {
            CliRun help = CliRun.sluice(command, "--help");
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: sluice " + command).contains("--config")
                    .contains("--json");
        }
    }

    private static CliRun withInput(String input, java.util.function.Supplier<CliRun> run) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(saved);
        }
    }
}
