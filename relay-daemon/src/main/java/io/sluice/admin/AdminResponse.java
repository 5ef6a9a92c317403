package io.sluice.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a route handler answers: a status, a content type, the whole body, and optional extra headers.
 *
 * <p>Contract: immutable; the server adds Content-Length and the Connection header itself. Bodies are small (probe
 * texts, a metrics scrape, admin API JSON), so they are plain byte arrays.
 *
 * @param status      HTTP status
 * @param contentType value of Content-Type
 * @param body        the body bytes
 * @param headers     extra response headers (e.g. {@code Allow}, {@code WWW-Authenticate})
 */
public record AdminResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    public AdminResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** A UTF-8 plain-text response. */
    public static AdminResponse text(HttpResponseStatus status, String text) {
        return new AdminResponse(status, TEXT_PLAIN, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** This response with one more header. */
    public AdminResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new AdminResponse(status, contentType, body, more);
    }
}
