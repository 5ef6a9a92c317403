package io.sluice.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CLI's plain HTTP/1.1 client for the admin API on loopback: one GET or POST with the bearer token, the whole
 * answer as text. No retries: an operator re-runs the command.
 *
 * <p>Limits: connect timeout {@value #CONNECT_TIMEOUT_MS} ms, answer timeout {@value #REQUEST_TIMEOUT_MS} ms unless
 * the caller sets another (the server itself gives up on a stuck stage after 5 s). Failure: {@link IOException}
 * when the daemon cannot be reached or does not answer in time. Thread-safe.
 */
final class AdminClient {
    static final long CONNECT_TIMEOUT_MS = 2_000;
    static final long REQUEST_TIMEOUT_MS = 15_000;

    /** A status and body. */
    record Reply(int status, String body) {
    }

    private final AdminClientOptions.Endpoint endpoint;
    private final Duration requestTimeout;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MS))
            .build();

    AdminClient(AdminClientOptions.Endpoint endpoint) {
        this(endpoint, Duration.ofMillis(REQUEST_TIMEOUT_MS));
    }

    /** A client whose answers may take up to {@code requestTimeout} (a reload waits for the whole swap). */
    AdminClient(AdminClientOptions.Endpoint endpoint, Duration requestTimeout) {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
    }

    /**
     * GETs {@code path} with these query parameters (null values are left out).
     *
     * @throws IOException when the daemon is unreachable or too slow
     */
    Reply get(String path, Map<String, String> query) throws IOException, InterruptedException {
        return send("GET", path, query);
    }

    /**
     * Sends {@code method} ({@code GET} or {@code POST}, the latter with an empty body: parameters go in the query
     * like the GETs') to {@code path}.
     *
     * @throws IOException when the daemon is unreachable or too slow
     */
    Reply send(String method, String path, Map<String, String> query) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path, query))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + endpoint.token())
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body());
    }

    /** POSTs {@code body} (text, e.g. CSV) to {@code path} with these query parameters. */
    Reply post(String path, Map<String, String> query, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path, query))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + endpoint.token())
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body());
    }

    /** Where the daemon is, for messages. */
    String target() {
        return host() + ":" + endpoint.port();
    }

    /** The full URL of {@code path} (no query), for messages. */
    String url(String path) {
        return "http://" + target() + path;
    }

    private URI uri(String path, Map<String, String> query) {
        StringBuilder uri = new StringBuilder("http://").append(target()).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : new LinkedHashMap<>(query).entrySet()) {
            if (e.getValue() != null) {
                uri.append(sep).append(e.getKey()).append('=')
                        .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return URI.create(uri.toString());
    }

    private String host() {
        String a = endpoint.address();
        return a.indexOf(':') >= 0 ? "[" + a + "]" : a;
    }
}
