package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.Arrays;

/**
 * Fuzzes the outbound reply decoder through a real Netty pipeline with arbitrary server bytes in fuzzer-chosen chunks.
 *
 * <p>Properties: the only exception is a {@link DecoderException} (the session's protocol error), and after it the
 * decoder swallows everything; every decoded reply has a three-digit code 200..599 and at most
 * {@link SmtpReplyDecoder#MAX_LINES} lines of at most {@link SmtpReplyDecoder#MAX_LINE} characters; memory stays
 * bounded: what the decoder holds undecoded never exceeds one line limit (a longer line fails the stream).
 *
 * <p>Replayed from {@code SmtpReplyDecoderFuzzTestInputs/} on every {@code mvn test}; fuzzed with {@code -Pfuzz}.
 */
class SmtpReplyDecoderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void replyDecoderThrowsOnlyDecoderExceptionAndStaysBounded(FuzzedDataProvider data) {
        SmtpReplyDecoder decoder = new SmtpReplyDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        try {
            boolean failed = false;
            while (data.remainingBytes() > 0) {
                byte[] chunk = data.consumeBytes(data.consumeInt(1, 8192));
                ByteBuf buf = Unpooled.wrappedBuffer(chunk);
                // Replies framed before the error in the same read are legitimate; after it, nothing may come.
                boolean failedBefore = failed;
                try {
                    channel.writeInbound(buf);
                } catch (DecoderException e) {
                    assertThat(failed).as("one protocol error, then silence").isFalse();
                    failed = true;
                }
                Object msg;
                while ((msg = channel.readInbound()) != null) {
                    assertThat(failedBefore).as("no reply after a protocol error").isFalse();
                    SmtpReply reply = (SmtpReply) msg;
                    assertThat(reply.code()).isBetween(200, 599);
                    assertThat(reply.lines()).hasSizeLessThanOrEqualTo(SmtpReplyDecoder.MAX_LINES);
                    assertThat(reply.lines()).allSatisfy(l -> assertThat(l.length())
                            .isLessThanOrEqualTo(SmtpReplyDecoder.MAX_LINE));
                }
                if (!failed) {
                    assertThat(decoder.bufferedBytes()).as("undecoded input is at most one reply line")
                            .isLessThanOrEqualTo(SmtpReplyDecoder.MAX_LINE);
                }
            }
            assertThat(Arrays.asList(channel.inboundMessages().toArray())).isEmpty();
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
