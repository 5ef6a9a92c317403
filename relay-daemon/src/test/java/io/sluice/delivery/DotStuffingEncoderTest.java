package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dot-stuffing encoder fed whole, split at every position, and byte by byte: each way must give the same
 * bytes on the wire, without touching the caller's buffer.
 */
class DotStuffingEncoderTest {

    /** Encodes {@code pieces} as one message (the last piece marked last) and returns the bytes written. */
    private static String encode(EmbeddedChannel channel, List<byte[]> pieces) {
        List<ByteBuf> originals = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            ByteBuf piece = Unpooled.directBuffer().writeBytes(pieces.get(i));
            originals.add(piece);
            channel.writeOutbound(new MessageText(piece.retainedSlice(), i == pieces.size() - 1));
        }
        if (pieces.isEmpty()) {
            channel.writeOutbound(new MessageText(Unpooled.EMPTY_BUFFER, true));
        }
        String wire = drain(channel);
        for (ByteBuf original : originals) {
            assertThat(original.refCnt()).as("caller's reference untouched").isEqualTo(1);
            assertThat(original.readerIndex()).isZero();
            original.release();
        }
        return wire;
    }

    private static String drain(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            out.writeBytes(bytes);
            buf.release();
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String encodeWhole(String text) {
        EmbeddedChannel channel = new EmbeddedChannel(new DotStuffingEncoder());
        String wire = encode(channel, text.isEmpty() ? List.of() : List.of(bytes(text)));
        assertThat(channel.finish()).isFalse();
        return wire;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whole, every two-way split, and byte by byte, on one channel in turn (state must reset between messages). */
    private static void assertAllSplits(String text, String expected) {
        EmbeddedChannel channel = new EmbeddedChannel(new DotStuffingEncoder());
        byte[] all = bytes(text);
        assertThat(encode(channel, List.of(all))).as("whole").isEqualTo(expected);
        for (int i = 0; i <= all.length; i++) {
            List<byte[]> two = List.of(java.util.Arrays.copyOfRange(all, 0, i),
                    java.util.Arrays.copyOfRange(all, i, all.length));
            assertThat(encode(channel, two)).as("split at %d", i).isEqualTo(expected);
        }
        List<byte[]> single = new ArrayList<>();
        for (byte b : all) {
            single.add(new byte[] {b});
        }
        assertThat(encode(channel, single)).as("byte by byte").isEqualTo(expected);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldDoubleDotsAtLineStartsAtEverySplitPoint() {
        assertAllSplits("Subject: x\r\n\r\n.leading\r\n.\r\n..two\r\nmid.dot .\r\n",
                "Subject: x\r\n\r\n..leading\r\n..\r\n...two\r\nmid.dot .\r\n.\r\n");
    }

    @Test
    void shouldStuffADotAtTheVeryStart() {
        assertAllSplits(".first\r\nsecond\r\n", "..first\r\nsecond\r\n.\r\n");
    }

    @Test
    void shouldAddCrlfBeforeTheDotWhenTextLacksAFinalLineBreak() {
        assertAllSplits("no line break", "no line break\r\n.\r\n");
        assertAllSplits("last line\r\n.", "last line\r\n..\r\n.\r\n");
    }

    @Test
    void shouldSendOnlyTheDotForAnEmptyMessage() {
        assertThat(encodeWhole("")).isEqualTo(".\r\n");
    }

    @Test
    void shouldStuffAfterABareLineFeedSoNoLenientServerSeesAnEarlyEnd() {
        assertAllSplits("a\n.\r\nb\r\n", "a\n..\r\nb\r\n.\r\n");
    }

    @Test
    void shouldNotStuffAfterABareCarriageReturn() {
        assertAllSplits("a\r.b\r\n", "a\r.b\r\n.\r\n");
    }

    @Test
    void shouldSendTheCallersBytesWithoutCopyingWhenNoLineStartsWithADot() {
        EmbeddedChannel channel = new EmbeddedChannel(new DotStuffingEncoder());
        ByteBuf body = Unpooled.directBuffer().writeBytes(bytes("line one\r\nline two\r\n"));
        channel.writeOutbound(new MessageText(body.retainedSlice(), true));

        ByteBuf text = channel.readOutbound();
        ByteBuf end = channel.readOutbound();
        body.setByte(0, 'L');

        assertThat(text.getByte(0)).as("shares the caller's memory").isEqualTo((byte) 'L');
        assertThat(text.readableBytes()).isEqualTo(body.readableBytes());
        assertThat(end.toString(StandardCharsets.US_ASCII)).isEqualTo(".\r\n");
        assertThat((Object) channel.readOutbound()).isNull();
        text.release();
        end.release();
        body.release();
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void shouldPassCommandsThrough() {
        EmbeddedChannel channel = new EmbeddedChannel(new DotStuffingEncoder());
        channel.writeOutbound(Unpooled.copiedBuffer(".RSET\r\n", StandardCharsets.US_ASCII));

        assertThat(drain(channel)).isEqualTo(".RSET\r\n");
    }
}
