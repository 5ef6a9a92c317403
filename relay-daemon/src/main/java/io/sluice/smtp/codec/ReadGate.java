package io.sluice.smtp.codec;

import io.netty.channel.Channel;

/**
 * Decides whether a connection reads from its socket. Several independent reasons can stop reading (too much
 * pipelined input buffered, the socket not writable, the global in-flight DATA budget spent, back-pressure); reading
 * resumes only when none is left.
 *
 * <p>Threading: event loop of the channel only. Allocation-free.
 */
public final class ReadGate {
    /** The decoder holds more unprocessed input than {@code smtp.max_pipelined_bytes}. */
    public static final int PIPELINE_FULL = 1;
    /** Replies are not draining: the client is not reading. */
    public static final int UNWRITABLE = 1 << 1;
    /** {@code smtp.max_inflight_data_bytes} is spent across all sessions. */
    public static final int INFLIGHT_BUDGET = 1 << 2;
    /** Soft back-pressure: a reply is being delayed. */
    public static final int DELAYED = 1 << 3;

    private final Channel channel;
    private int reasons;

    public ReadGate(Channel channel) {
        this.channel = channel;
    }

    public void close(int reason) {
        boolean wasOpen = reasons == 0;
        reasons |= reason;
        if (wasOpen) {
            channel.config().setAutoRead(false);
        }
    }

    public void open(int reason) {
        if ((reasons & reason) == 0) {
            return;
        }
        reasons &= ~reason;
        if (reasons == 0) {
            channel.config().setAutoRead(true);
        }
    }

    public boolean isClosed(int reason) {
        return (reasons & reason) != 0;
    }
}
