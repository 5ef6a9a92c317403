package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A piece of message text on its way to the {@link DotStuffingEncoder}: the bytes as stored (not yet
 * dot-stuffed) and whether this is the last piece, after which the encoder ends the text with {@code <CRLF>.<CRLF>}.
 *
 * <p>Holds one reference to {@link #content()}, released by the encoder after it has taken retained slices, so the
 * caller hands in {@code body.retainedSlice()} and keeps its own buffer untouched.
 */
final class MessageText extends DefaultByteBufHolder {
    private final boolean last;

    MessageText(ByteBuf content, boolean last) {
        super(content);
        this.last = last;
    }

    boolean isLast() {
        return last;
    }
}
