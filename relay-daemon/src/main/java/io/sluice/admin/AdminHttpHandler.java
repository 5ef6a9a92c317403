package io.sluice.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves aggregated HTTP requests on one admin connection: route lookup, access check, handler dispatch, and
 * responses written in request order.
 *
 * <p>Inputs: {@link FullHttpRequest}s from {@code HttpServerCodec} + {@code HttpObjectAggregator}. A request the
 * decoder could not parse gets 400 and the connection is closed. Handlers run inline or on the worker executor per
 * {@link Route.Execution}; a full worker queue answers 503, a throwing handler 500 (logged).
 *
 * <p>Ordering: HTTP/1.1 clients may pipeline, and a worker-run response can finish after a later inline one, so
 * each response is chained behind the previous one and written on the channel's event loop.
 *
 * <p>Threading: one instance per channel (it holds the chain's tail); only its event loop touches that field.
 * Idle connections are closed on the {@link IdleStateEvent} from the pipeline's idle handler.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final RouteTable routes;
    private final Executor worker;
    /** Completes when the previous response has been handed to the channel. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    AdminHttpHandler(RouteTable routes, Executor worker) {
        this.routes = routes;
        this.worker = worker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpVersion version = request.protocolVersion();
        if (!request.decoderResult().isSuccess()) {
            enqueue(ctx, CompletableFuture.completedFuture(
                    AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "bad request\n")), version, false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        Route route = routes.route(request.method(), path);
        AdminResponse refusal = routes.refusal(request.method(), path, route,
                request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (refusal != null) {
            enqueue(ctx, CompletableFuture.completedFuture(refusal), version, keepAlive);
            return;
        }
        // Detach from the pooled buffers now: the handler may run later on another thread.
        AdminRequest detached = new AdminRequest(request.method(), path, uri.parameters(),
                request.headers().copy(), ByteBufUtil.getBytes(request.content()));
        enqueue(ctx, dispatch(route, detached), version, keepAlive);
    }

    private CompletableFuture<AdminResponse> dispatch(Route route, AdminRequest request) {
        if (route.execution() == Route.Execution.EVENT_LOOP) {
            return CompletableFuture.completedFuture(invoke(route, request));
        }
        try {
            return CompletableFuture.supplyAsync(() -> invoke(route, request), worker);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    AdminResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "admin server busy\n"));
        }
    }

    private static AdminResponse invoke(Route route, AdminRequest request) {
        try {
            return route.handler().handle(request);
        } catch (Exception e) {
            LOG.error("admin route {} {} failed", route.method(), route.path(), e);
            return AdminResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
    }

    private void enqueue(ChannelHandlerContext ctx, CompletableFuture<AdminResponse> response,
                         HttpVersion version, boolean keepAlive) {
        tail = tail.thenCombine(response, (previous, r) -> r)
                .handleAsync((r, failure) -> {
                    if (failure != null) {
                        // Only an Error escapes invoke(); the connection's state is unknown, so drop it.
                        LOG.error("admin response failed", failure);
                        ctx.close();
                    } else {
                        write(ctx, r, version, keepAlive);
                    }
                    return null;
                }, ctx.executor());
    }

    private static void write(ChannelHandlerContext ctx, AdminResponse r, HttpVersion version, boolean keepAlive) {
        if (!ctx.channel().isActive()) {
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(version, r.status(),
                Unpooled.wrappedBuffer(r.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        r.headers().forEach(response.headers()::set);
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
