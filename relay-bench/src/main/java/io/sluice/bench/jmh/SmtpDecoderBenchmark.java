package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.smtp.codec.ReadGate;
import io.sluice.smtp.codec.SmtpServerDecoder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the ingress decoder ({@link SmtpServerDecoder}) over one realistic pipelined transaction per
 * operation: EHLO, MAIL, RCPT, DATA, a ~5 KiB message with dot-stuffed lines, the final dot, RSET
 * ({@link PipelinedTransaction}). One op = one message, so ops/s is messages per second on one core.
 *
 * <p>Setup: a real Netty pipeline ({@link EmbeddedChannel}: decoder, then {@link FrameSink}, which plays the
 * session, switches the decoder to DATA into one reused direct text buffer, and consumes every frame so no channel
 * queue fills). Input goes in through {@code pipeline.fireChannelRead}, not {@code writeInbound}, so
 * EmbeddedChannel's own bookkeeping (varargs, task runs, queue checks) is not measured.
 * <ul>
 *   <li>{@link #wholeTransaction}: the transaction arrives as one read, in one reused direct buffer (retained and
 *       rewound per op; the decoder releases it when consumed). This is the decoder alone: expected 0 B/op.</li>
 *   <li>{@link #segmentedReads}: the same bytes arrive in {@value #SEGMENT_BYTES}-byte reads (one Ethernet MSS), each
 *       copied into a fresh buffer from the channel's allocator as a socket read would be, so lines and the text
 *       straddle reads and the decoder's cumulation merges them. This adds the allocator and copy costs a real
 *       socket read has.</li>
 * </ul>
 *
 * <p>Netty's leak detector is disabled in the fork: at its default level it samples one pooled buffer in 128 and
 * allocates a tracking record for it, which is Netty's cost, not the decoder's. Run {@code -prof gc} to read
 * {@code gc.alloc.rate.norm} (bytes per message). Setup checks once that the decoded frames and stored text are
 * exactly right, and teardown that every op decoded one complete message and nothing stayed buffered.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class SmtpDecoderBenchmark {
    /** Message size as stored, headers included. */
    static final int MESSAGE_BYTES = 5 * 1024;
    /** Bytes per read in {@link #segmentedReads}: one TCP segment on Ethernet. */
    static final int SEGMENT_BYTES = 1460;
    /** Capacity of each read buffer, like the first guess of Netty's adaptive receive-buffer sizing. */
    static final int READ_BUFFER_BYTES = 2048;
    static final int MAX_COMMAND_LINE = 512;
    static final int MAX_PIPELINED_BYTES = 64 * 1024;
    static final long MAX_MESSAGE_BYTES = 10L << 20;
    static final int MAX_TEXT_LINE = 1000;

    private PipelinedTransaction transaction;
    private byte[] wire;
    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private ByteBufAllocator alloc;
    private SmtpServerDecoder decoder;
    private FrameSink sink;
    private ByteBuf text;
    private ByteBuf input;
    private long opsBefore;

    @Setup(Level.Trial)
    public void setUp() {
        transaction = PipelinedTransaction.of(MESSAGE_BYTES);
        wire = transaction.wire();
        channel = new EmbeddedChannel();
        decoder = new SmtpServerDecoder(MAX_COMMAND_LINE, MAX_PIPELINED_BYTES, new ReadGate(channel));
        text = Unpooled.directBuffer(16 * 1024, (int) MAX_MESSAGE_BYTES);
        sink = new FrameSink(text, MAX_MESSAGE_BYTES, MAX_TEXT_LINE);
        sink.decoder(decoder);
        channel.pipeline().addLast(decoder, sink);
        pipeline = channel.pipeline();
        alloc = channel.alloc();
        input = Unpooled.directBuffer(wire.length, wire.length).writeBytes(wire);
        checkOneTransaction(true);
        checkOneTransaction(false);
        opsBefore = sink.completeMessages;
    }

    /** Runs one transaction each way outside measurement and fails the trial unless the result is exact. */
    private void checkOneTransaction(boolean whole) {
        long lines = sink.commandLines;
        long complete = sink.completeMessages;
        if (whole) {
            wholeTransaction();
        } else {
            segmentedReads();
        }
        byte[] stored = ByteBufUtil.getBytes(text);
        if (sink.commandLines - lines != transaction.commandLines() || sink.completeMessages - complete != 1
            || sink.badLines != 0 || sink.failedMessages != 0 || decoder.bufferedBytes() != 0
            || !Arrays.equals(stored, transaction.storedText())) {
            throw new IllegalStateException("decoder output differs from the expected transaction (whole=" + whole
                + ", stored " + stored.length + " of " + transaction.storedText().length + " bytes)");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        boolean consistent = sink.badLines == 0 && sink.failedMessages == 0 && decoder.bufferedBytes() == 0
            && sink.commandLines == sink.completeMessages * transaction.commandLines()
            && sink.completeMessages > opsBefore;
        channel.finishAndReleaseAll();
        input.release();
        text.release();
        if (!consistent) {
            throw new IllegalStateException("frames out of step after the run: " + sink.commandLines + " lines, "
                + sink.completeMessages + " complete, " + sink.failedMessages + " failed, " + sink.badLines + " bad");
        }
    }

    /** One transaction in one read; the input buffer is reused (retain + rewind; the decoder releases it). */
    @Benchmark
    public long wholeTransaction() {
        input.retain();
        input.readerIndex(0);
        pipeline.fireChannelRead(input);
        pipeline.fireChannelReadComplete();
        return sink.completeMessages;
    }

    /** One transaction as a series of MSS-sized socket reads into buffers from the channel's allocator. */
    @Benchmark
    public long segmentedReads() {
        byte[] bytes = wire;
        for (int offset = 0; offset < bytes.length; offset += SEGMENT_BYTES) {
            int length = Math.min(SEGMENT_BYTES, bytes.length - offset);
            ByteBuf read = alloc.directBuffer(READ_BUFFER_BYTES);
            read.writeBytes(bytes, offset, length);
            pipeline.fireChannelRead(read);
        }
        pipeline.fireChannelReadComplete();
        return sink.completeMessages;
    }
}
