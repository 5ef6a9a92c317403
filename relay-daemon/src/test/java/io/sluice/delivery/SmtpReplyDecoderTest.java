package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reply framing fed whole, split at every position and byte by byte; malformed replies fail fast. */
class SmtpReplyDecoderTest {

    private static List<SmtpReply> decode(List<byte[]> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpReplyDecoder());
        for (byte[] chunk : chunks) {
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
        }
        List<SmtpReply> replies = new ArrayList<>();
        SmtpReply reply;
        while ((reply = channel.readInbound()) != null) {
            replies.add(reply);
        }
        channel.finishAndReleaseAll();
        return replies;
    }

    private static void assertAllSplits(String input, List<SmtpReply> expected) {
        byte[] all = input.getBytes(StandardCharsets.UTF_8);
        assertThat(decode(List.of(all))).as("whole").isEqualTo(expected);
        for (int i = 1; i < all.length; i++) {
            assertThat(decode(List.of(Arrays.copyOfRange(all, 0, i), Arrays.copyOfRange(all, i, all.length))))
                    .as("split at %d", i).isEqualTo(expected);
        }
        List<byte[]> single = new ArrayList<>();
        for (byte b : all) {
            single.add(new byte[] {b});
        }
        assertThat(decode(single)).as("byte by byte").isEqualTo(expected);
    }

    private static void assertRejected(String input) {
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpReplyDecoder());
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(input.getBytes(StandardCharsets.UTF_8))))
                .as(input).isInstanceOf(DecoderException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldFrameSingleAndMultiLineRepliesAtEverySplitPoint() {
        assertAllSplits("220 mx.test ESMTP\r\n250-mx.test\r\n250-PIPELINING\r\n250 SIZE 1000\r\n",
                List.of(SmtpReply.of(220, List.of("mx.test ESMTP")),
                        SmtpReply.of(250, List.of("mx.test", "PIPELINING", "SIZE 1000"))));
    }

    @Test
    void shouldAcceptABareCodeAndABareLineFeed() {
        assertAllSplits("250\r\n354 go\n", List.of(SmtpReply.of(250, List.of()), SmtpReply.of(354, List.of("go"))));
    }

    @Test
    void shouldDecodeUtf8TextAndTheEnhancedStatus() {
        List<SmtpReply> replies = decode(List.of("550 5.1.1 <zoë@dest.test>: unknown\r\n"
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).text()).isEqualTo("5.1.1 <zoë@dest.test>: unknown");
        assertThat(replies.get(0).enhancedStatus()).isEqualTo("5.1.1");
    }

    @Test
    void shouldRejectMalformedReplies() {
        assertRejected("ab\r\n");
        assertRejected("abc ok\r\n");
        assertRejected("650 no such class\r\n");
        assertRejected("250x ok\r\n");
        assertRejected("250-first\r\n251 second\r\n");
        assertRejected("250 " + "x".repeat(SmtpReplyDecoder.MAX_LINE) + "\r\n");
        assertRejected("250 " + "x".repeat(SmtpReplyDecoder.MAX_LINE + 1));
        assertRejected("250-x\r\n".repeat(SmtpReplyDecoder.MAX_LINES) + "250 last\r\n");
    }
}
