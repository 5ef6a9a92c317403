package io.sluice.smtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Feeds SMTP input through the decoder whole, split at every position, and byte by byte; each way must give the
 * same frames. A recording handler plays the session: on DATA it switches the decoder to text mode.
 */
class SmtpServerDecoderTest {

    private static final int MAX_COMMAND = 512;
    private static final int MAX_TEXT_LINE = 1000;

    /** Decodes {@code input} delivered as the given chunks and returns the frames as strings. */
    private static List<String> decode(List<byte[]> chunks, long maxBytes, boolean normalize) {
        List<String> frames = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        ReadGate gate = new ReadGate(channel);
        SmtpServerDecoder decoder = new SmtpServerDecoder(MAX_COMMAND, 64 * 1024, gate);
        ByteBuf text = Unpooled.buffer();
        channel.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof CommandLine) {
                    CommandLine line = (CommandLine) msg;
                    if (line.status() != CommandLine.Status.OK) {
                        frames.add("!" + line.status());
                        return;
                    }
                    frames.add(line.verb() + "|" + line.argument(StandardCharsets.ISO_8859_1));
                    if (line.verb() == SmtpVerb.DATA) {
                        text.clear();
                        decoder.startData(text, maxBytes, MAX_TEXT_LINE, normalize);
                    }
                } else if (msg instanceof DataResult) {
                    // Text stored before a failure depends on chunking and is thrown away: compare only the result.
                    frames.add(msg == DataResult.COMPLETE ? msg + "[" + text.toString(StandardCharsets.ISO_8859_1) + "]"
                            : msg.toString());
                }
            }
        });
        for (byte[] chunk : chunks) {
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
        }
        channel.finishAndReleaseAll();
        return frames;
    }

    private static List<String> decodeWhole(String input) {
        return decode(List.of(bytes(input)), 1 << 20, true);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Asserts that every two-way split and the byte-by-byte feed give {@code expected}. */
    private static void assertAllSplits(String input, long maxBytes, boolean normalize, List<String> expected) {
        byte[] all = bytes(input);
        assertThat(decode(List.of(all), maxBytes, normalize)).as("whole").isEqualTo(expected);
        for (int i = 1; i < all.length; i++) {
            byte[] a = java.util.Arrays.copyOfRange(all, 0, i);
            byte[] b = java.util.Arrays.copyOfRange(all, i, all.length);
            assertThat(decode(List.of(a, b), maxBytes, normalize)).as("split at %d", i).isEqualTo(expected);
        }
        List<byte[]> single = new ArrayList<>();
        for (byte x : all) {
            single.add(new byte[] {x});
        }
        assertThat(decode(single, maxBytes, normalize)).as("byte by byte").isEqualTo(expected);
    }

    private static void assertAllSplits(String input, List<String> expected) {
        assertAllSplits(input, 1 << 20, true, expected);
    }

    @Test
    void shouldDecodePipelinedTransactionSplitAnywhere() {
        assertAllSplits(
                "EHLO client.example\r\nMAIL FROM:<a@b.example> SIZE=100\r\nRCPT TO:<c@d.example>\r\nDATA\r\n"
                        + "Subject: hi\r\n\r\nbody\r\n..leading dot\r\n.\r\nQUIT\r\n",
                List.of("EHLO|client.example", "MAIL|FROM:<a@b.example> SIZE=100", "RCPT|TO:<c@d.example>", "DATA|",
                        "COMPLETE[Subject: hi\r\n\r\nbody\r\n.leading dot\r\n]", "QUIT|"));
    }

    @Test
    void shouldMatchVerbsCaseInsensitivelyAndTrimArgument() {
        assertThat(decodeWhole("ehlo   x.example  \r\nStartTls\r\nfoo bar\r\n"))
                .containsExactly("EHLO|x.example", "STARTTLS|", "UNKNOWN|bar");
    }

    @Test
    void shouldRejectBareLfInCommand() {
        assertAllSplits("NOOP\nQUIT\r\n", List.of("!BARE_LINE_ENDING", "QUIT|"));
    }

    @Test
    void shouldRejectBareCrInCommand() {
        assertAllSplits("NO\rOP\r\nQUIT\r\n", List.of("!BARE_LINE_ENDING", "QUIT|"));
    }

    @Test
    void shouldRejectNulInCommand() {
        assertAllSplits("NO\0OP\r\nQUIT\r\n", List.of("!NUL", "QUIT|"));
    }

    @Test
    void shouldDiscardOverlongCommandLineOnceAndRecover() {
        String longLine = "MAIL FROM:<" + "a".repeat(600) + "@b.example>\r\n";
        assertThat(decodeWhole(longLine + "NOOP\r\n")).containsExactly("!TOO_LONG", "NOOP|");
        List<byte[]> chunks = new ArrayList<>();
        byte[] all = bytes(longLine + "NOOP\r\n");
        for (int i = 0; i < all.length; i += 100) {
            chunks.add(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + 100)));
        }
        assertThat(decode(chunks, 1 << 20, true)).containsExactly("!TOO_LONG", "NOOP|");
    }

    @Test
    void shouldAcceptCommandLineOfExactlyTheLimit() {
        String line = "NOOP " + "x".repeat(MAX_COMMAND - 7) + "\r\n";
        assertThat(line.length()).isEqualTo(MAX_COMMAND);
        assertThat(decodeWhole(line)).hasSize(1).first().asString().startsWith("NOOP|x");
        assertThat(decodeWhole("NOOP " + "x".repeat(MAX_COMMAND - 6) + "\r\n")).containsExactly("!TOO_LONG");
    }

    @Test
    void shouldEndDataOnlyAtCrLfDotCrLf() {
        assertAllSplits("DATA\r\na\r\n.\r\n", List.of("DATA|", "COMPLETE[a\r\n]"));
        // The CRLF of the DATA command itself counts: an immediate dot line is an empty message.
        assertAllSplits("DATA\r\n.\r\nNOOP\r\n", List.of("DATA|", "COMPLETE[]", "NOOP|"));
    }

    @Test
    void shouldNeverEndDataAtLfDotLf() {
        // Smuggling: <LF>.<LF> followed by a second transaction must stay message text.
        String smuggled = "DATA\r\nhello\n.\nMAIL FROM:<evil@x>\r\nRCPT TO:<v@y>\r\n.\r\n";
        assertAllSplits(smuggled, List.of("DATA|", "COMPLETE[hello\r\n.\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<v@y>\r\n]"));
    }

    @Test
    void shouldNeverEndDataAtMixedSmugglingVariants() {
        for (String terminator : List.of("\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\r.\r", "\n.\r")) {
            String input = "DATA\r\nx" + terminator + "MAIL FROM:<e@x>\r\n.\r\n";
            List<String> frames = decode(List.of(bytes(input)), 1 << 20, true);
            assertThat(frames).as("terminator %s", terminator.replace("\r", "CR").replace("\n", "LF"))
                    .hasSize(2).element(1).asString().startsWith("COMPLETE[").contains("MAIL FROM:<e@x>");
        }
    }

    @Test
    void shouldRejectBareLfInDataWhenPolicyIsReject() {
        assertAllSplits("DATA\r\nhello\nworld\r\n.\r\nNOOP\r\n", 1 << 20, false,
                List.of("DATA|", "BARE_LINE_ENDING", "NOOP|"));
    }

    @Test
    void shouldNormalizeBareCrInData() {
        assertAllSplits("DATA\r\na\rb\r\n.\r\n", List.of("DATA|", "COMPLETE[a\r\nb\r\n]"));
    }

    @Test
    void shouldUnstuffOnlyAtRealLineStarts() {
        assertAllSplits("DATA\r\n..\r\n.x\r\na\n.b\r\n.\r\n",
                List.of("DATA|", "COMPLETE[.\r\nx\r\na\r\n.b\r\n]"));
    }

    @Test
    void shouldFailOversizeMessageAndStayInStep() {
        assertAllSplits("DATA\r\n0123456789\r\n0123456789\r\n.\r\nNOOP\r\n", 16, true,
                List.of("DATA|", "TOO_BIG", "NOOP|"));
    }

    @Test
    void shouldFailOverlongTextLine() {
        String input = "DATA\r\n" + "x".repeat(MAX_TEXT_LINE - 1) + "\r\n.\r\nNOOP\r\n";
        assertThat(decodeWhole(input)).element(1).isEqualTo("LINE_TOO_LONG");
        String fits = "DATA\r\n" + "x".repeat(MAX_TEXT_LINE - 2) + "\r\n.\r\n";
        assertThat(decodeWhole(fits)).element(1).asString().startsWith("COMPLETE");
    }

    @Test
    void shouldFailNulInData() {
        assertAllSplits("DATA\r\na\0b\r\n.\r\n", List.of("DATA|", "NUL"));
    }

    @Test
    void shouldHoldPipelinedCommandsWhilePausedAndReleaseOnResume() {
        List<String> frames = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        SmtpServerDecoder decoder = new SmtpServerDecoder(MAX_COMMAND, 16, new ReadGate(channel));
        channel.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                CommandLine line = (CommandLine) msg;
                frames.add(line.verb().name());
                if (line.verb() == SmtpVerb.MAIL) {
                    decoder.pause();
                }
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nNOOP\r\n")));
        assertThat(frames).containsExactly("MAIL");
        assertThat(channel.config().isAutoRead()).as("reading stops above the buffer limit").isFalse();
        decoder.resume();
        assertThat(frames).containsExactly("MAIL", "RCPT", "NOOP");
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldDropInputBufferedBeforeDiscard() {
        List<String> frames = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        SmtpServerDecoder decoder = new SmtpServerDecoder(MAX_COMMAND, 1024, new ReadGate(channel));
        channel.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                CommandLine line = (CommandLine) msg;
                frames.add(line.verb().name());
                if (line.verb() == SmtpVerb.STARTTLS) {
                    decoder.discardBuffered();
                }
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("STARTTLS\r\nMAIL FROM:<injected@x>\r\n")));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("NOOP\r\n")));
        assertThat(frames).containsExactly("STARTTLS", "NOOP");
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldReportPartialCommandAndCountDataOctetsForTheSessionClocks() {
        EmbeddedChannel channel = new EmbeddedChannel();
        SmtpServerDecoder decoder = new SmtpServerDecoder(MAX_COMMAND, 64 * 1024, new ReadGate(channel));
        ByteBuf text = Unpooled.buffer();
        channel.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof CommandLine && ((CommandLine) msg).verb() == SmtpVerb.DATA) {
                    decoder.startData(text, 1 << 20, MAX_TEXT_LINE, true);
                }
            }
        });
        assertThat(decoder.hasPartialCommand()).isFalse();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("NO")));
        assertThat(decoder.hasPartialCommand()).as("first octets of a command").isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("OP\r\n")));
        assertThat(decoder.hasPartialCommand()).as("line complete").isFalse();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("X".repeat(MAX_COMMAND + 10))));
        assertThat(decoder.hasPartialCommand()).as("over-long line being discarded").isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("\r\nDATA\r\n..ab")));
        assertThat(decoder.inData()).isTrue();
        assertThat(decoder.hasPartialCommand()).as("text is not a command").isFalse();
        assertThat(decoder.dataOctets()).as("input octets, before unstuffing").isEqualTo(4);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes("c\r\n.\r\n")));
        assertThat(decoder.dataOctets()).isEqualTo(10);
        assertThat(decoder.inData()).isFalse();
        channel.finishAndReleaseAll();
        text.release();
    }
    /** Found by SmtpServerDecoderFuzzTest: the reason must not depend on where TCP splits the text. */
    @Test
    void shouldReportTheLimitCrossedFirstWhateverTheSplit() {
        String longLine = "x".repeat(1200);
        // Size (500) is crossed at octet 500 of the line, the line limit (1000) only at octet 999: TOO_BIG.
        assertAllSplits("DATA\r\n" + longLine + "\r\n.\r\nQUIT\r\n", 500, true,
                List.of("DATA|", "TOO_BIG", "QUIT|"));
        // Line limit first when the size limit is far away.
        assertAllSplits("DATA\r\n" + longLine + "\r\n.\r\nQUIT\r\n", 5000, true,
                List.of("DATA|", "LINE_TOO_LONG", "QUIT|"));
    }

    /** Found by SmtpServerDecoderFuzzTest: dataOctets() seen by the DataResult's handler includes the terminator. */
    @Test
    void shouldCountDataOctetsUpToTheTerminatorWhenTheResultFires() {
        EmbeddedChannel channel = new EmbeddedChannel();
        SmtpServerDecoder decoder = new SmtpServerDecoder(MAX_COMMAND, 64 * 1024, new ReadGate(channel));
        ByteBuf text = Unpooled.buffer();
        List<Long> octetsAtResult = new ArrayList<>();
        channel.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof CommandLine && ((CommandLine) msg).verb() == SmtpVerb.DATA) {
                    decoder.startData(text, 1 << 20, MAX_TEXT_LINE, true);
                } else if (msg instanceof DataResult) {
                    octetsAtResult.add(decoder.dataOctets());
                }
            }
        });
        channel.writeInbound(Unpooled.copiedBuffer(bytes("DATA\r\nabc\r\n.\r\nNOOP\r\n")));
        assertThat(octetsAtResult).containsExactly((long) "abc\r\n.\r\n".length());
        channel.finishAndReleaseAll();
        text.release();
    }
}
