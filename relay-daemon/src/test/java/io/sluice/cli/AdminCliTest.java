package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.FreePorts;
import io.sluice.testing.MxSink;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
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
 * {@code sluice status}, {@code queue} and {@code inspect} against a real daemon on loopback: real SMTP
 * submissions, a {@link TestDnsServer} sending {@code ok.test} to a live sink and {@code down.test} to an address
 * where nothing listens (so its recipients are deferred, with a long retry), and the admin API behind a bearer token
 * from a 0600 file. Each command runs through {@link SluiceCli} in-process with captured output; the numbers must
 * equal what was submitted. One daemon for the class (starting one takes a while); the tests only read.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AdminCliTest {
    private static final String TOKEN = "s3cret-admin-token-0123456789";

    @TempDir
    static Path dir;

    private static TestDnsServer dns;
    private static MxSink sink;
    private static TestDaemon daemon;
    private static long submittedFrom;
    private static long submittedUntil;
    /** Queue id of the message with recipients a@down.test, b@ok.test, c@down.test. */
    private static String mixedId;
    /** Queue id of a message delivered in full. */
    private static String deliveredId;

    @BeforeAll
    static void startDaemonAndSubmit() throws Exception {
        int mxPort = FreePorts.next();
        dns = TestDnsServer.start("test");
        dns.mx("ok.test", 10, "mx.ok.test").a("mx.ok.test", "127.0.0.2");
        dns.mx("down.test", 10, "mx.down.test").a("mx.down.test", "127.0.0.3");
        sink = MxSink.start("127.0.0.2", mxPort);
        Path token = dir.resolve("admin.token");
        Files.writeString(token, TOKEN + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        daemon = TestDaemon.in(dir).dns(dns)
                .delivery("mx_port: " + mxPort + "\nallow_private_mx: true\nretry:\n  first: 10m\n  max: 1h")
                .queue("dead_site_failures: 3\ndead_site_first_probe: 10m\ndead_site_max_probe: 1h")
                .admin("token_file: " + token)
                .start();
        submittedFrom = System.currentTimeMillis();
        try (Submitter s = new Submitter("127.0.0.1", daemon.smtpPort())) {
            s.submit("d1@client.test", "x1@down.test");
            s.submit("d2@client.test", "x2@down.test");
            mixedId = s.submit("mixed@client.test", "a@down.test", "b@ok.test", "c@down.test");
            deliveredId = s.submit("o1@client.test", "y1@ok.test");
            s.submit("o2@client.test", "y2@ok.test");
        }
        submittedUntil = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Map<String, Object> q = AdminCommand.obj(statusJson(), "queue");
            return sink.messages().size() == 3 && AdminCommand.num(q, "pending_recipients") == 4
                    && AdminCommand.num(q, "scheduled") == 4;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static CliRun sluice(String... args) {
        return CliRun.sluice(args);
    }

    private static CliRun sluiceAdmin(String command, String... args) {
        return CliRun.admin(daemon, command, args);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(CliRun run) {
        assertThat(run.exit()).as(run.err()).isZero();
        return (Map<String, Object>) JsonReader.parse(run.out());
    }

    private static Map<String, Object> statusJson() {
        return json(sluiceAdmin("status", "--json"));
    }

    @Test
    void shouldReportStatusTotalsEqualToWhatWasSubmitted() {
        Map<String, Object> status = statusJson();
        Map<String, Object> queue = AdminCommand.obj(status, "queue");
        assertThat(AdminCommand.num(queue, "pending_messages")).isEqualTo(3);
        assertThat(AdminCommand.num(queue, "pending_recipients")).isEqualTo(4);
        assertThat(AdminCommand.num(queue, "scheduled")).isEqualTo(4);
        assertThat(AdminCommand.num(queue, "ready")).isZero();
        assertThat(AdminCommand.num(queue, "in_flight")).isZero();
        assertThat(AdminCommand.num(queue, "dead_sites")).as("3 refused connections in a row").isEqualTo(1);
        assertThat(AdminCommand.num(status, "uptime_seconds")).isNotNegative();
        List<Map<String, Object>> listeners = AdminCommand.list(status, "listeners");
        assertThat(listeners).hasSize(1);
        assertThat(listeners.get(0)).containsEntry("name", "default").containsEntry("address", "127.0.0.1")
                .containsEntry("port", (long) daemon.smtpPort()).containsEntry("tls", "none");
        Map<String, Object> journal = AdminCommand.obj(status, "journal");
        assertThat(AdminCommand.num(journal, "bodies_bytes")).isPositive();
        assertThat(AdminCommand.num(journal, "state_bytes")).isPositive();
        assertThat(AdminCommand.num(journal, "free_bytes")).isPositive();
        assertThat(AdminCommand.obj(status, "dns")).containsEntry("failing", false).containsEntry("failure", null)
                .containsEntry("resolvers", List.of(dns.resolverSpec()));

        CliRun human = sluiceAdmin("status");
        assertThat(human.exit()).isZero();
        assertThat(human.out()).contains("pending messages:   3\n")
                .contains("pending recipients: 4 (scheduled 4, ready 0, in flight 0)\n")
                .contains("dead sites:         1\n")
                .contains("dns:                " + dns.resolverSpec() + " (from dns.resolvers): answering\n")
                .containsPattern("(?m)^default\\s+127\\.0\\.0\\.1\\s+" + daemon.smtpPort() + "\\s+none$")
                .containsPattern("(?m)^default\\s+\\(kernel chooses\\)\\s+\\S+\\s+ok$");
        assertThat(AdminCommand.list(status, "sources")).singleElement().satisfies(src -> assertThat(src)
                .containsEntry("name", "default").containsEntry("address", null).containsEntry("state", "ok"));
    }

    @Test
    void shouldShowTheDeferredDomainWithItsCountOldestAgeAndNextRetry() {
        long now = System.currentTimeMillis();
        Map<String, Object> queue = json(sluiceAdmin("queue", "--json"));
        Map<String, Object> totals = AdminCommand.obj(queue, "totals");
        assertThat(AdminCommand.num(totals, "recipients")).isEqualTo(4);
        assertThat(AdminCommand.num(totals, "messages")).isEqualTo(3);
        assertThat(AdminCommand.num(queue, "domains_total")).isEqualTo(1);
        List<Map<String, Object>> domains = AdminCommand.list(queue, "domains");
        assertThat(domains).hasSize(1);
        Map<String, Object> down = domains.get(0);
        assertThat(down).containsEntry("domain", "down.test").containsEntry("site", "mx.down.test")
                .containsEntry("messages", 3L).containsEntry("recipients", 4L).containsEntry("scheduled", 4L);
        assertThat(AdminCommand.num(down, "oldest_received_millis")).isBetween(submittedFrom, submittedUntil);
        assertThat(AdminCommand.num(down, "oldest_age_seconds")).isBetween(0L, (now - submittedFrom) / 1000 + 1);
        assertThat(AdminCommand.num(down, "next_retry_millis")).as("retry.first is 10 minutes, jitter 20%")
                .isBetween(submittedFrom + 7 * 60_000, now + 13 * 60_000);
        assertThat(AdminCommand.list(queue, "sites")).singleElement()
                .satisfies(site -> assertThat(site).containsEntry("site", "mx.down.test")
                        .containsEntry("recipients", 4L).containsEntry("domains", 1L)
                        .containsEntry("dead", true)
                        .satisfies(s -> assertThat(AdminCommand.obj(s, "last_error"))
                                .as("nothing listens there: Sluice's own reason, no code, no MX said it")
                                .containsEntry("code", null).containsEntry("mx", null)
                                .hasEntrySatisfying("text", text -> assertThat((String) text)
                                        .containsIgnoringCase("refused"))));
        assertThat(AdminCommand.num(totals, "dead_sites")).isEqualTo(1);

        CliRun human = sluiceAdmin("queue");
        assertThat(human.exit()).isZero();
        assertThat(human.out()).startsWith("total: 1 domains, 1 sites, 3 messages, 4 recipients")
                .containsPattern("(?m)^down\\.test\\s+mx\\.down\\.test\\s+3\\s+4\\s+0\\s+4\\s+0\\s+0\\s+\\d+s\\s+in "
                        + "\\d+m\\d\\ds$")
                .contains("\nlast errors:\n")
                .containsPattern("(?m)^  mx\\.down\\.test \\(\\d+s ago\\): \\(sluice\\) .*(?i:refused)");
    }

    @Test
    void shouldFilterTheQueueByDomain() {
        Map<String, Object> onlyDown = json(sluiceAdmin("queue", "--domain", "DOWN.test", "--json"));
        assertThat(onlyDown).containsEntry("domain_filter", "DOWN.test");
        assertThat(AdminCommand.list(onlyDown, "domains")).extracting(d -> d.get("domain"))
                .containsExactly("down.test");
        Map<String, Object> onlyOk = json(sluiceAdmin("queue", "--domain", "ok.test", "--json"));
        assertThat(AdminCommand.list(onlyOk, "domains")).isEmpty();
        assertThat(AdminCommand.num(AdminCommand.obj(onlyOk, "totals"), "recipients")).isZero();
        assertThat(sluiceAdmin("queue", "--domain", "ok.test").out()).startsWith("total: 0 domains");
        assertThat(sluiceAdmin("queue", "--limit", "0").exit()).isEqualTo(2);
    }

    @Test
    void shouldInspectEachRecipientsState() throws Exception {
        Map<String, Object> m = json(sluiceAdmin("inspect", mixedId, "--json"));
        assertThat(m).containsEntry("id", mixedId).containsEntry("sender", "sender@client.test")
                .containsEntry("client_address", "127.0.0.1").containsEntry("listener", "default")
                .containsEntry("pending_recipients", 2L);
        assertThat(AdminCommand.num(m, "size_bytes")).as("the stored bytes, with the headers Sluice added")
                .isEqualTo(StoredMessages.read(daemon.journalDir()).stream().filter(s -> s.id().equals(mixedId))
                        .findFirst().orElseThrow().bytes().length);
        assertThat(AdminCommand.num(m, "received_millis")).isBetween(submittedFrom, submittedUntil);
        List<Map<String, Object>> rcpts = AdminCommand.list(m, "recipients");
        assertThat(rcpts).extracting(r -> r.get("address")).containsExactly("a@down.test", "b@ok.test", "c@down.test");
        assertThat(rcpts).extracting(r -> r.get("state")).containsExactly("deferred", "delivered", "deferred");
        assertThat(rcpts).extracting(r -> r.get("route")).as("the route each would take now").containsOnly("default");
        assertThat(rcpts).extracting(r -> r.get("path")).containsOnly("pool default");
        assertThat(rcpts).extracting(r -> r.get("attempts")).containsExactly(1L, 0L, 1L);
        assertThat(AdminCommand.num(rcpts.get(0), "next_due_millis")).isGreaterThan(System.currentTimeMillis());
        assertThat(AdminCommand.num(rcpts.get(1), "next_due_millis")).isEqualTo(-1);
        Map<String, Object> lastReply = AdminCommand.obj(rcpts.get(0), "last_reply");
        assertThat(lastReply).as("nothing listens at mx.down.test: Sluice's own reason, no reply code")
                .containsEntry("code", null);
        assertThat(AdminCommand.str(lastReply, "text")).containsIgnoringCase("refused");
        assertThat(rcpts.get(1)).containsEntry("last_reply", null);

        Map<String, Object> byOption = json(sluiceAdmin("inspect", "--id", mixedId, "--json"));
        assertThat(byOption).as("--id ID, as for hold, release and bounce").containsEntry("id", mixedId)
                .containsEntry("pending_recipients", 2L);
        assertThat(AdminCommand.list(byOption, "recipients")).extracting(r -> r.get("state"))
                .containsExactly("deferred", "delivered", "deferred");
        CliRun human = sluiceAdmin("inspect", mixedId.toUpperCase());
        assertThat(human.exit()).as(human.err()).isZero();
        assertThat(human.out()).contains("id:        " + mixedId + "\n").contains("pending:   2 of 3 recipients\n")
                .contains("sender:    <sender@client.test>\n")
                .contains("route:     default (lane default, pool default)\n")
                .containsPattern("(?m)^0\\s+a@down\\.test\\s+deferred\\s+1\\s+\\d{4}-\\d\\d-\\d\\d .*\\(in \\d+m\\d\\ds\\)$")
                .containsPattern("(?m)^1\\s+b@ok\\.test\\s+delivered\\s+0\\s+-$")
                .contains("last replies:\n")
                .containsPattern("(?m)^  0 a@down\\.test: \\(sluice\\) .*(?i:refused).*$")
                .containsPattern("(?m)^  2 c@down\\.test: \\(sluice\\) ");
    }

    @Test
    void shouldExitOneForAnIdThatIsNotPending() {
        CliRun unknown = sluiceAdmin("inspect", "00000000000000ff");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no pending message 00000000000000ff");
        assertThat(unknown.out()).isEmpty();
        assertThat(sluiceAdmin("inspect", deliveredId).exit()).as("delivered in full").isEqualTo(1);
        assertThat(sluiceAdmin("inspect", "not-an-id").exit()).as("usage").isEqualTo(2);
    }

    @Test
    void shouldExitThreeWhenTheTokenIsRefused() throws Exception {
        Path wrong = dir.resolve("wrong.token");
        Files.writeString(wrong, "a-different-token-0123456789\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        Path config = dir.resolve("wrong-token.yaml");
        Files.writeString(config, Files.readString(daemon.config()).replace(dir.resolve("admin.token").toString(),
                wrong.toString()));
        for (String command : List.of("status", "queue")) {
            CliRun run = sluice(command, "--config", config.toString());
            assertThat(run.exit()).as(command).isEqualTo(3);
            assertThat(run.err()).contains("refused (401)");
        }
        assertThat(sluice("inspect", "--config", config.toString(), mixedId).exit()).isEqualTo(3);
    }

    @Test
    void shouldExitTwoWhenTheDaemonIsNotRunning() throws Exception {
        Path config = dir.resolve("no-daemon.yaml");
        Files.writeString(config, Files.readString(daemon.config()).replace("  port: " + daemon.adminPort() + "\n",
                "  port: " + FreePorts.next() + "\n"));
        CliRun run = sluice("status", "--config", config.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("cannot reach the daemon's admin API").contains("is sluice running?");
        assertThat(sluice("queue", "--config", dir.resolve("missing.yaml").toString()).exit()).isEqualTo(2);
    }

    @Test
    void shouldAnswerTheRawApiWithJsonErrorsAndRequireTheToken() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + daemon.adminPort();
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> get = (path, token) -> {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            try {
                return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        for (String path : List.of("/admin/status", "/admin/queue", "/admin/inspect?id=" + mixedId)) {
            assertThat(get.apply(path, null).statusCode()).as(path + " without token").isEqualTo(401);
            assertThat(get.apply(path, "wrong-token-wrong-token").statusCode()).as(path).isEqualTo(401);
            var ok = get.apply(path, TOKEN);
            assertThat(ok.statusCode()).as(path).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            assertThat(JsonReader.parse(ok.body())).isInstanceOf(Map.class);
        }
        assertThat(get.apply("/admin/queue?limit=0", TOKEN)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":\"limit must be 1 to 1000\"}\n");
        });
        assertThat(get.apply("/admin/inspect?id=12", TOKEN).statusCode()).isEqualTo(400);
        assertThat(get.apply("/admin/inspect", TOKEN).statusCode()).isEqualTo(400);
        assertThat(get.apply("/admin/inspect?id=00000000000000ff", TOKEN).statusCode()).isEqualTo(404);
        assertThat(get.apply("/admin/inspect/" + mixedId, TOKEN).statusCode()).as("exact paths only").isEqualTo(404);
    }

    @Test
    void shouldOfferHelpOnEveryCommandAndABashCompletionScript() {
        for (String command : List.of("status", "queue", "inspect", "completion")) {
            CliRun help = sluice(command, "--help");
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: sluice " + command);
        }
        assertThat(sluice("queue", "--help").out()).contains("--config").contains("--domain").contains("--json");
        CliRun completion = sluice("completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("inspect").contains("--domain");
    }
}
