package io.sluice.admin;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.Map;

/**
 * One admin HTTP request as a route handler sees it: detached from Netty's reference-counted buffers, so a handler
 * may run on any thread and keep it as long as it likes.
 *
 * @param method     request method
 * @param path       decoded path without the query, e.g. {@code /metrics}
 * @param parameters decoded query parameters
 * @param headers    a copy of the request headers
 * @param body       the request body (at most {@link AdminServer#MAX_CONTENT_BYTES}); empty for GET
 */
public record AdminRequest(
        HttpMethod method, String path, Map<String, List<String>> parameters, HttpHeaders headers, byte[] body) {
}
