package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.sluice.config.DeliverySettings;
import java.util.concurrent.CompletableFuture;

/**
 * RSET or QUIT on an idle connection, waiting {@code command_timeout} for the reply.
 *
 * <p>RSET: a 2xx leaves the connection idle and reusable; any other reply makes it unusable (and closes it); the
 * future gets the reply, or an {@link OutboundException} when the connection broke. QUIT: whatever happens, the
 * connection is closed afterwards; the future gets the reply, or null when none came.
 */
final class SingleCommand implements Exchange {
    private final SmtpClientHandler handler;
    private final DeliverySettings settings;
    private final boolean quit;
    private final CompletableFuture<SmtpReply> result;

    private SingleCommand(SmtpClientHandler handler, DeliverySettings settings, boolean quit,
                          CompletableFuture<SmtpReply> result) {
        this.handler = handler;
        this.settings = settings;
        this.quit = quit;
        this.result = result;
    }

    static SingleCommand rset(SmtpClientHandler handler, DeliverySettings settings,
                              CompletableFuture<SmtpReply> result) {
        return new SingleCommand(handler, settings, false, result);
    }

    static SingleCommand quit(SmtpClientHandler handler, DeliverySettings settings,
                              CompletableFuture<SmtpReply> result) {
        return new SingleCommand(handler, settings, true, result);
    }

    @Override
    public void start() {
        ByteBuf out = handler.context().alloc().buffer(8);
        if (quit) {
            CommandWriter.quit(out);
        } else {
            CommandWriter.rset(out);
        }
        handler.expect(quit ? Stage.QUIT : Stage.RSET, settings.commandTimeout());
        handler.writeAndFlush(out);
    }

    @Override
    public void onReply(SmtpReply reply) {
        if (quit || !reply.isPositive()) {
            handler.close(null);
        } else {
            handler.idle();
        }
        result.complete(reply);
    }

    @Override
    public void onBroken(FailureKind kind, Stage stage, String detail, Throwable cause) {
        if (quit) {
            result.complete(null);
        } else {
            result.completeExceptionally(new OutboundException(kind, stage, null, detail, cause));
        }
    }
}
