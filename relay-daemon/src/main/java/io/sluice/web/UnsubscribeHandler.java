package io.sluice.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.sluice.metrics.FeedbackMetrics;
import io.sluice.metrics.FeedbackMetrics.WebResult;
import io.sluice.model.UnsubscribeToken;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to the web listener (RFC 8058). {@code GET /u/<token>}: a page naming the address and a button that
 * POSTs; it changes nothing (mail filters and link scanners fetch links). {@code POST /u/<token>} with the body
 * {@code List-Unsubscribe=One-Click} (form-encoded, or multipart with that field and value, as RFC 8058 3.2
 * allows): the token is verified on
 * the event loop and the unsubscribe ({@link UnsubscribeRequests}) runs on the worker (it waits for an fsync);
 * {@code 200} when done, {@code 410} for a token already used. A forged or damaged token gets {@code 404} and changes
 * nothing; over the per-IP limit {@code 429}; other paths {@code 404}, other methods {@code 405}; a full worker
 * queue {@code 503}. Every answer closes nothing but is small and the connection idles out; counted in
 * {@code sluice_web_requests_total}.
 */
final class UnsubscribeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(UnsubscribeHandler.class);
    private static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private final UnsubscribeToken tokens;
    private final UnsubscribeRequests requests;
    private final PerIpRate rate;
    private final Executor worker;
    private final FeedbackMetrics metrics;
    private final io.sluice.util.CidrSet trustedProxies;

    UnsubscribeHandler(UnsubscribeToken tokens, UnsubscribeRequests requests, PerIpRate rate, Executor worker,
                       FeedbackMetrics metrics, io.sluice.util.CidrSet trustedProxies) {
        this.trustedProxies = trustedProxies;
        this.tokens = tokens;
        this.requests = requests;
        this.rate = rate;
        this.worker = worker;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String ip = client(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress(), request);
        if (!request.decoderResult().isSuccess()) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST, "Bad request.", false, WebResult.REFUSED);
            return;
        }
        if (!rate.tryAcquire(ip, System.nanoTime())) {
            answer(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, "Too many requests: try again in a minute.",
                    keepAlive, WebResult.RATE_LIMITED);
            return;
        }
        String path = request.uri();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (!path.startsWith(UnsubscribeServer.PATH) || path.length() == UnsubscribeServer.PATH.length()) {
            answer(ctx, HttpResponseStatus.NOT_FOUND, "Not found.", keepAlive, WebResult.REFUSED);
            return;
        }
        String token = path.substring(UnsubscribeServer.PATH.length());
        boolean get = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        if (!get && !request.method().equals(HttpMethod.POST)) {
            answer(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "Use GET or POST.", keepAlive, WebResult.REFUSED);
            return;
        }
        UnsubscribeToken.Claim claim = tokens.verify(token);
        if (claim == null) {
            answer(ctx, HttpResponseStatus.NOT_FOUND, "This unsubscribe link is not valid.", keepAlive,
                    WebResult.FORGED);
            return;
        }
        if (get) {
            page(ctx, claim, keepAlive);
            return;
        }
        String body = request.content().toString(StandardCharsets.UTF_8);
        if (!body.contains(ONE_CLICK) && !(body.contains("List-Unsubscribe") && body.contains("One-Click"))) {
            answer(ctx, HttpResponseStatus.BAD_REQUEST, "The request must carry " + ONE_CLICK + " (RFC 8058).",
                    keepAlive, WebResult.REFUSED);
            return;
        }
        try {
            worker.execute(() -> unsubscribe(ctx, claim, keepAlive));
        } catch (RejectedExecutionException e) {
            answer(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "Busy: try again shortly.", keepAlive,
                    WebResult.REFUSED);
        }
    }

    /**
     * Who the limit counts: the peer, or, when the peer is a trusted proxy, the last address of its
     * {@code X-Forwarded-For} (the one that proxy saw; earlier ones are the client's word).
     */
    private String client(java.net.InetAddress peer, FullHttpRequest request) {
        if (trustedProxies.contains(peer)) {
            String forwarded = request.headers().get("X-Forwarded-For");
            if (forwarded != null) {
                String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).strip();
                if (io.sluice.util.IpLiteral.isLiteral(last)) {
                    return last;
                }
            }
        }
        return peer.getHostAddress();
    }

    /** Worker thread. */
    private void unsubscribe(ChannelHandlerContext ctx, UnsubscribeToken.Claim claim, boolean keepAlive) {
        HttpResponseStatus status;
        String text;
        WebResult result;
        try {
            if (requests.unsubscribe(claim, "one-click", null) == UnsubscribeRequests.Result.UNSUBSCRIBED) {
                status = HttpResponseStatus.OK;
                text = "Unsubscribed: " + claim.recipient() + " gets no more mail from "
                        + (claim.senderDomain().isEmpty() ? "us" : claim.senderDomain()) + ".";
                result = WebResult.UNSUBSCRIBED;
            } else {
                status = HttpResponseStatus.GONE;
                text = "This link was used already: " + claim.recipient() + " is unsubscribed.";
                result = WebResult.REPLAYED;
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("unsubscribe of {} could not be recorded: {}", claim.recipient(), e.toString());
            status = HttpResponseStatus.SERVICE_UNAVAILABLE;
            text = "Not recorded: please try again later.";
            result = WebResult.REFUSED;
        }
        HttpResponseStatus s = status;
        String t = text;
        WebResult r = result;
        ctx.executor().execute(() -> answer(ctx, s, t, keepAlive, r));
    }

    private void page(ChannelHandlerContext ctx, UnsubscribeToken.Claim claim, boolean keepAlive) {
        String who = Html.escape(claim.recipient());
        String from = claim.senderDomain().isEmpty() ? "us" : Html.escape(claim.senderDomain());
        String html = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Unsubscribe</title>"
                + "<meta name=\"robots\" content=\"noindex\"></head><body>\n"
                + "<p>Stop mail from " + from + " to " + who + "?</p>\n"
                + "<form method=\"post\">"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\">Unsubscribe</button></form>\n</body></html>\n";
        write(ctx, HttpResponseStatus.OK, "text/html; charset=utf-8", html, keepAlive);
        metrics.webRequest(WebResult.PAGE);
    }

    private void answer(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive,
                        WebResult result) {
        write(ctx, status, "text/plain; charset=utf-8", text + "\n", keepAlive);
        metrics.webRequest(result);
    }

    private static void write(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body,
                              boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .set("Content-Security-Policy", "default-src 'none'; form-action 'self'");
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset or a TLS failure: nothing to answer
    }
}
