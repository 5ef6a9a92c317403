package io.sluice.admin;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.metrics.ConnectionRejectReason;
import io.sluice.metrics.ListenerMetrics;
import io.sluice.metrics.PrometheusText;
import io.sluice.metrics.RejectReason;
import io.sluice.metrics.SluiceMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminServerTest {
    private static final InetSocketAddress LOOPBACK_ANY_PORT =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final SluiceMetrics metrics = new SluiceMetrics();
    private final AtomicReference<String> notReady = new AtomicReference<>("journal not open yet");
    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private RouteTable.Builder standardRoutes() {
        return RouteTable.builder()
                .add(HealthRoutes.healthz())
                .add(HealthRoutes.readyz(notReady::get))
                .add(MetricsRoute.route(metrics.registry()));
    }

    private AdminServer start(RouteTable routes) throws IOException {
        server = AdminServer.standalone(LOOPBACK_ANY_PORT, routes);
        server.start();
        return server;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    @Test
    void shouldAnswerOkOnHealthz() throws Exception {
        start(standardRoutes().build());

        HttpResponse<String> response = send(get("/healthz"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void shouldAnswerReadyzAccordingToTheProbe() throws Exception {
        start(standardRoutes().build());

        HttpResponse<String> before = send(get("/readyz"));
        notReady.set(null);
        HttpResponse<String> after = send(get("/readyz"));
        notReady.set("shutting down");
        HttpResponse<String> draining = send(get("/readyz"));

        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).isEqualTo("journal not open yet");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("ready");
        assertThat(draining.statusCode()).isEqualTo(503);
        assertThat(draining.body()).isEqualTo("shutting down");
    }

    @Test
    void shouldReportNotReadyWhenTheProbeThrows() throws Exception {
        start(RouteTable.builder().add(HealthRoutes.readyz(() -> {
            throw new IllegalStateException("journal closed");
        })).build());

        HttpResponse<String> response = send(get("/readyz"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("journal closed");
    }

    @Test
    void shouldServeRecordedMetricsInPrometheusTextFormat() throws Exception {
        ListenerMetrics smtp = metrics.forListener("smtp");
        smtp.connectionOpened();
        smtp.connectionRejected(ConnectionRejectReason.TOO_MANY);
        smtp.messageReceived(2, 4_096);
        smtp.smtpRejected(RejectReason.RELAY_DENIED);
        smtp.submissionNanos(1_500_000);
        metrics.journal().appendNanos(80_000);
        metrics.journal().syncNanos(300_000);
        metrics.journal().batchSize(3);
        metrics.bindQueuePendingMessages(() -> 42);
        metrics.bindQueuePendingRecipients(() -> 84);
        metrics.bindJournalFreeBytes(() -> 1L << 33);
        start(standardRoutes().build());

        HttpResponse<String> response = send(get("/metrics"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, PrometheusText.Family> f = PrometheusText.parse(response.body());
        assertThat(f.keySet()).contains(
                SluiceMetrics.CONNECTIONS_CURRENT, SluiceMetrics.CONNECTIONS, SluiceMetrics.CONNECTIONS_REJECTED,
                SluiceMetrics.MESSAGES_RECEIVED, SluiceMetrics.RECIPIENTS_RECEIVED,
                SluiceMetrics.MESSAGES_RECEIVED_BYTES, SluiceMetrics.SMTP_REJECTIONS, SluiceMetrics.SUBMISSION_SECONDS,
                SluiceMetrics.JOURNAL_APPEND_SECONDS, SluiceMetrics.JOURNAL_SYNC_SECONDS,
                SluiceMetrics.JOURNAL_BATCH_SIZE, SluiceMetrics.QUEUE_PENDING_MESSAGES,
                SluiceMetrics.QUEUE_PENDING_RECIPIENTS, SluiceMetrics.JOURNAL_FREE_BYTES,
                "jvm_memory_used_bytes", "jvm_gc_collection_seconds");
        Map<String, String> smtpLabel = Map.of("listener", "smtp");
        assertThat(PrometheusText.value(f, SluiceMetrics.CONNECTIONS_CURRENT, SluiceMetrics.CONNECTIONS_CURRENT,
                smtpLabel)).isEqualTo(1);
        assertThat(PrometheusText.value(f, SluiceMetrics.CONNECTIONS_REJECTED, SluiceMetrics.CONNECTIONS_REJECTED,
                Map.of("listener", "smtp", "reason", "too_many"))).isEqualTo(1);
        assertThat(PrometheusText.value(f, SluiceMetrics.RECIPIENTS_RECEIVED, SluiceMetrics.RECIPIENTS_RECEIVED,
                smtpLabel)).isEqualTo(2);
        assertThat(PrometheusText.value(f, SluiceMetrics.SMTP_REJECTIONS, SluiceMetrics.SMTP_REJECTIONS,
                Map.of("listener", "smtp", "reason", "relay_denied"))).isEqualTo(1);
        assertThat(PrometheusText.value(f, SluiceMetrics.SUBMISSION_SECONDS,
                SluiceMetrics.SUBMISSION_SECONDS + "_count", smtpLabel)).isEqualTo(1);
        assertThat(PrometheusText.value(f, SluiceMetrics.JOURNAL_SYNC_SECONDS,
                SluiceMetrics.JOURNAL_SYNC_SECONDS + "_bucket", Map.of("le", "5.0E-4"))).isEqualTo(1);
        assertThat(PrometheusText.value(f, SluiceMetrics.QUEUE_PENDING_MESSAGES,
                SluiceMetrics.QUEUE_PENDING_MESSAGES, Map.of())).isEqualTo(42);
        assertThat(PrometheusText.value(f, SluiceMetrics.JOURNAL_FREE_BYTES, SluiceMetrics.JOURNAL_FREE_BYTES,
                Map.of())).isEqualTo(8589934592.0);
        assertThat(f.get(SluiceMetrics.SMTP_REJECTIONS).help()).isNotBlank();
    }

    @Test
    void shouldAnswer404ForAnUnknownPath() throws Exception {
        start(standardRoutes().build());

        assertThat(send(get("/metricz")).statusCode()).isEqualTo(404);
        assertThat(send(get("/metrics/")).statusCode()).isEqualTo(404);
        assertThat(send(get("/")).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAnswer405WithAllowForAnotherMethod() throws Exception {
        start(standardRoutes().build());

        HttpResponse<String> post = send(get("/metrics").POST(HttpRequest.BodyPublishers.ofString("x")));
        HttpResponse<String> delete = send(get("/healthz").DELETE());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET");
        assertThat(delete.statusCode()).isEqualTo(405);
    }

    @Test
    void shouldIgnoreTheQueryStringWhenRouting() throws Exception {
        start(standardRoutes().build());
        assertThat(send(get("/healthz?verbose=1")).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseToBindANonLoopbackAddress() {
        RouteTable routes = standardRoutes().build();

        assertThatThrownBy(() -> AdminServer.standalone(new InetSocketAddress("0.0.0.0", 0), routes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0.0.0")
                .hasMessageContaining("not a loopback address");
        assertThatThrownBy(() -> AdminServer.standalone(new InetSocketAddress("192.0.2.1", 8025), routes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("192.0.2.1");
        assertThatThrownBy(() -> AdminServer.standalone(new InetSocketAddress("::", 0), routes))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminServer.standalone(InetSocketAddress.createUnresolved("admin.example", 0),
                routes)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
    }

    @Test
    void shouldBindAnyAddressIn127Slash8() throws Exception {
        server = AdminServer.standalone(new InetSocketAddress("127.0.0.2", 0), standardRoutes().build());
        server.start();
        assertThat(server.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void shouldFailToStartWhenThePortIsTaken() throws Exception {
        start(standardRoutes().build());
        AdminServer second = AdminServer.standalone(server.localAddress(), standardRoutes().build());
        try {
            assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot bind the admin server");
        } finally {
            second.stop();
        }
    }

    @Test
    void shouldGuardTokenRoutesWithTheBearerToken() throws Exception {
        BearerToken token = BearerToken.load(BearerTokenTest.tokenFile(dir, BearerTokenTest.TOKEN, "rw-------"));
        start(standardRoutes().bearerToken(token).add(pingRoute()).build());

        HttpResponse<String> none = send(get("/api/ping"));
        HttpResponse<String> wrong = send(get("/api/ping").header("Authorization", "Bearer not-the-token-at-all"));
        HttpResponse<String> right = send(get("/api/ping").header("Authorization", "Bearer " + BearerTokenTest.TOKEN));
        HttpResponse<String> publicRoute = send(get("/healthz"));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"sluice\"");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).isEqualTo("pong");
        assertThat(publicRoute.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer403OnTokenRoutesWhenNoTokenIsConfigured() throws Exception {
        start(standardRoutes().add(pingRoute()).build());

        HttpResponse<String> response = send(get("/api/ping").header("Authorization", "Bearer anything-goes-here"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("admin.token_file");
    }

    @Test
    void shouldAnswer500WhenAHandlerThrowsAndKeepServing() throws Exception {
        start(standardRoutes().add(new Route(HttpMethod.GET, "/boom", Route.Access.PUBLIC, Route.Execution.WORKER,
                request -> {
                    throw new IllegalStateException("boom");
                })).build());

        assertThat(send(get("/boom")).statusCode()).isEqualTo(500);
        assertThat(send(get("/healthz")).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerPipelinedRequestsInRequestOrder() throws Exception {
        start(standardRoutes().add(new Route(HttpMethod.GET, "/slow", Route.Access.PUBLIC, Route.Execution.WORKER,
                request -> {
                    Thread.sleep(300);
                    return AdminResponse.text(HttpResponseStatus.OK, "slow");
                })).build());

        String responses = exchange("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(responses).startsWith("HTTP/1.1 200 OK");
        assertThat(responses.indexOf("\r\n\r\nslow")).isPositive()
                .isLessThan(responses.indexOf("\r\n\r\nok"));
    }

    @Test
    void shouldAnswer503WhenTheWorkerQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(standardRoutes().add(new Route(HttpMethod.GET, "/block", Route.Access.PUBLIC, Route.Execution.WORKER,
                request -> {
                    release.await(5, TimeUnit.SECONDS);
                    return AdminResponse.text(HttpResponseStatus.OK, "done");
                })).build());
        // One request occupies the worker, WORKER_QUEUE wait, the next is refused; all arrive in one write.
        int accepted = 1 + AdminServer.WORKER_QUEUE;
        String raw = "GET /block HTTP/1.1\r\nHost: x\r\n\r\n".repeat(accepted)
                + "GET /block HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        releaser.start();

        String responses = exchange(raw);
        releaser.join();

        assertThat(responses.split("HTTP/1.1 200 OK", -1)).hasSize(accepted + 1);
        assertThat(responses.indexOf("HTTP/1.1 503 Service Unavailable"))
                .isGreaterThan(responses.lastIndexOf("HTTP/1.1 200 OK"));
        assertThat(responses).endsWith("admin server busy\n");
    }

    @Test
    void shouldAnswer400AndCloseOnAMalformedRequest() throws Exception {
        start(standardRoutes().build());

        String response = exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9_000) + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 Bad Request");
        assertThat(response).containsIgnoringCase("connection: close");
    }

    @Test
    void shouldLeaveASharedGroupRunningAndServeNothingAfterStop() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            AdminServer shared = new AdminServer(LOOPBACK_ANY_PORT, group, NioServerSocketChannel.class,
                    standardRoutes().build());
            shared.start();
            int port = shared.port();
            assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")))
                    .statusCode()).isEqualTo(200);

            shared.stop();
            shared.stop();

            assertThat(group.isShuttingDown()).isFalse();
            // Refused, or (NIO closes the listening fd at the loop's next select) reset before any answer.
            assertThatThrownBy(() -> send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(shared::start).isInstanceOf(IllegalStateException.class);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static Route pingRoute() {
        return new Route(HttpMethod.GET, "/api/ping", Route.Access.BEARER_TOKEN, Route.Execution.EVENT_LOOP,
                request -> AdminResponse.text(HttpResponseStatus.OK, "pong"));
    }

    /** Writes raw bytes and reads until the server closes the connection. */
    private String exchange(String raw) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
