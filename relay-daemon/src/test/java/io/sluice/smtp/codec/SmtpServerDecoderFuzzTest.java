package io.sluice.smtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the SMTP server decoder through a real Netty pipeline (EmbeddedChannel) with a recording handler that plays
 * the session: on a DATA command line it switches the decoder to text mode, as the session does after 354.
 *
 * <p>Input: {@code "DATA\r\n"} followed by arbitrary bytes, delivered in chunks cut at fuzzer-chosen points, with
 * fuzzer-chosen size and line limits and bare-LF policy. Properties: nothing throws out of the pipeline; the frames
 * do not depend on how the input was chunked; the first DATA text ends exactly after the first {@code <CRLF>.<CRLF>}
 * of the stream (the CRLF of the DATA line counts), whatever the result (COMPLETE or a failure), and never earlier or
 * later. A hang would show up as Jazzer's per-input timeout when fuzzing.
 *
 * <p>Replayed from the saved corpus in {@code SmtpServerDecoderFuzzTestInputs/} on every {@code mvn test}; fuzzed with
 * {@code -Pfuzz} (docs/fuzzing.md).
 */
class SmtpServerDecoderFuzzTest {

    private static final byte[] DATA_LINE = "DATA\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TERMINATOR = "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = "60s")
    void decoderNeverThrowsAndEndsDataOnlyAtCrLfDotCrLf(FuzzedDataProvider data) {
        int maxCommand = data.consumeInt(8, 600);
        long maxBytes = data.consumeLong(0, 4096);
        int maxTextLine = data.consumeInt(3, 1100);
        boolean normalize = data.consumeBoolean();
        int cuts = data.consumeInt(0, 8);
        int[] cutPoints = new int[cuts];
        for (int i = 0; i < cuts; i++) {
            cutPoints[i] = data.consumeInt(0, 1 << 16);
        }
        byte[] body = data.consumeRemainingAsBytes();
        byte[] input = new byte[DATA_LINE.length + body.length];
        System.arraycopy(DATA_LINE, 0, input, 0, DATA_LINE.length);
        System.arraycopy(body, 0, input, DATA_LINE.length, body.length);

        Run whole = run(List.of(input), maxCommand, maxBytes, maxTextLine, normalize);
        Run chunked = run(chunks(input, cutPoints), maxCommand, maxBytes, maxTextLine, normalize);
        assertThat(chunked.frames).as("frames must not depend on chunking").isEqualTo(whole.frames);
        assertThat(chunked.firstDataOctets).isEqualTo(whole.firstDataOctets);

        int expectedEnd = firstTerminatorEnd(body);
        if (expectedEnd < 0) {
            assertThat(whole.firstDataOctets).as("no terminator in the input, so DATA must not end").isEqualTo(-1);
        } else {
            assertThat(whole.firstDataOctets).as("DATA must end right after the first CRLF.CRLF")
                    .isEqualTo(expectedEnd);
        }
    }

    /** Offset in {@code body} just past the first {@code .CRLF} preceded by CRLF (the DATA line's CRLF counts). */
    private static int firstTerminatorEnd(byte[] body) {
        byte[] stream = new byte[body.length + 2];
        stream[0] = '\r';
        stream[1] = '\n';
        System.arraycopy(body, 0, stream, 2, body.length);
        outer:
        for (int i = 0; i + TERMINATOR.length <= stream.length; i++) {
            for (int j = 0; j < TERMINATOR.length; j++) {
                if (stream[i + j] != TERMINATOR[j]) {
                    continue outer;
                }
            }
            return i + TERMINATOR.length - 2;
        }
        return -1;
    }

    private static List<byte[]> chunks(byte[] input, int[] cutPoints) {
        int[] cuts = Arrays.stream(cutPoints).map(c -> c % (input.length + 1)).sorted().distinct().toArray();
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.add(Arrays.copyOfRange(input, from, cut));
            from = cut;
        }
        out.add(Arrays.copyOfRange(input, from, input.length));
        return out;
    }

    private static final class Run {
        final List<String> frames = new ArrayList<>();
        long firstDataOctets = -1;
    }

    private static Run run(List<byte[]> chunks, int maxCommand, long maxBytes, int maxTextLine, boolean normalize) {
        Run result = new Run();
        EmbeddedChannel channel = new EmbeddedChannel();
        SmtpServerDecoder decoder = new SmtpServerDecoder(maxCommand, 64 * 1024, new ReadGate(channel));
        ByteBuf text = Unpooled.buffer();
        channel.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof CommandLine) {
                    CommandLine line = (CommandLine) msg;
                    if (line.status() != CommandLine.Status.OK) {
                        result.frames.add("!" + line.status());
                        return;
                    }
                    result.frames.add(line.verb() + "|" + line.argument(StandardCharsets.ISO_8859_1));
                    if (line.verb() == SmtpVerb.DATA) {
                        text.clear();
                        decoder.startData(text, maxBytes, maxTextLine, normalize);
                    }
                } else if (msg instanceof DataResult) {
                    if (result.firstDataOctets < 0) {
                        result.firstDataOctets = decoder.dataOctets();
                    }
                    result.frames.add(msg == DataResult.COMPLETE
                            ? msg + "[" + text.toString(StandardCharsets.ISO_8859_1) + "]" : msg.toString());
                }
            }
        });
        try {
            for (byte[] chunk : chunks) {
                // A copy: the decoder owns what it reads and may compact it in place (discardSomeReadBytes).
                channel.writeInbound(Unpooled.copiedBuffer(chunk));
            }
            channel.checkException();
        } finally {
            channel.finishAndReleaseAll();
            text.release();
        }
        return result;
    }
}
