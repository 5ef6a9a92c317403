package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.smtp.codec.CommandLine;
import io.sluice.smtp.codec.DataResult;
import io.sluice.smtp.codec.SmtpServerDecoder;
import io.sluice.smtp.codec.SmtpVerb;

/**
 * The last handler of the benchmark pipeline: plays the SMTP session just enough to drive
 * {@link SmtpServerDecoder}. On a {@code DATA} command line it clears the reused text buffer and calls
 * {@link SmtpServerDecoder#startData}; on a {@link DataResult} it counts the message. It consumes every frame and
 * fires nothing on, so no channel queue holds or allocates anything, and it allocates nothing itself: what
 * {@code -prof gc} reports is the decoder's (and the pipeline's).
 *
 * <p>Counters let the benchmark check, once per trial, that every transaction decoded as expected. Threading: the
 * channel's event loop (for an {@code EmbeddedChannel}, the benchmark thread).
 */
final class FrameSink extends ChannelInboundHandlerAdapter {
    private final ByteBuf text;
    private final long maxTextBytes;
    private final int maxTextLine;
    private SmtpServerDecoder decoder;

    long commandLines;
    long badLines;
    long completeMessages;
    long failedMessages;

    /**
     * @param text         the reused target of DATA text; cleared at every DATA
     * @param maxTextBytes {@code smtp.max_message_size}
     * @param maxTextLine  longest text line, CRLF included
     */
    FrameSink(ByteBuf text, long maxTextBytes, int maxTextLine) {
        this.text = text;
        this.maxTextBytes = maxTextBytes;
        this.maxTextLine = maxTextLine;
    }

    /** Set once the decoder exists (the two are built together). */
    void decoder(SmtpServerDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof CommandLine) {
            CommandLine line = (CommandLine) msg;
            if (line.status() != CommandLine.Status.OK) {
                badLines++;
                return;
            }
            commandLines++;
            if (line.verb() == SmtpVerb.DATA) {
                text.clear();
                decoder.startData(text, maxTextBytes, maxTextLine, true);
            }
        } else if (msg == DataResult.COMPLETE) {
            completeMessages++;
        } else if (msg instanceof DataResult) {
            failedMessages++;
        } else {
            throw new IllegalStateException("unexpected frame " + msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // End of one socket read: nothing to flush in this stand-in.
    }
}
