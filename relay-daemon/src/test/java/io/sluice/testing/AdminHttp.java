package io.sluice.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin HTTP API of a test daemon on loopback, as the CLI calls it: {@code GET}/{@code POST} with the
 * {@link ReloadFixture#TOKEN} bearer token, and {@code /metrics} (no token). Fails on any status but 200.
 */
public final class AdminHttp {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private AdminHttp() {
    }

    /** The body of {@code GET path} (e.g. {@code /admin/status}). */
    public static String get(int adminPort, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(adminPort, path)).header("Authorization", "Bearer "
                + ReloadFixture.TOKEN).GET().build());
    }

    /** The body of {@code POST path} (e.g. {@code /admin/flush}). */
    public static String post(int adminPort, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(adminPort, path)).header("Authorization", "Bearer "
                + ReloadFixture.TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** The value of the unlabelled series {@code name} in {@code /metrics}, or -1 when it is not there. */
    public static double metric(int adminPort, String name) throws IOException, InterruptedException {
        String body = send(HttpRequest.newBuilder(uri(adminPort, "/metrics")).GET().build());
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
