package io.sluice.smtp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;

/**
 * Frames the client's byte stream into SMTP command lines and DATA text (RFC 5321 2.3.8, 4.1.1.4, 4.5.2).
 *
 * <p>Input: {@link ByteBuf}s from the socket (after TLS). Output, fired to the next handler: the connection's
 * reused {@link CommandLine} flyweight for every command line, and a {@link DataResult} when DATA text ends. DATA
 * text itself is written, dot-unstuffed and with CRLF line endings, straight into the buffer the session passes to
 * {@link #startData}; nothing is allocated per line or per message.
 *
 * <p>Hostile input (input is hostile until parsed): a command line ends only at CRLF; a bare LF or CR or a NUL makes
 * the line an error; a line longer than {@code smtp.max_command_line} is discarded up to its LF and reported once. In
 * DATA only {@code <CRLF>.<CRLF>} ends the text: a line starts only after a real CRLF, so {@code <LF>.<LF>},
 * {@code <CR>.<CR>} and mixed forms never end or split a message. A bare LF or CR is stored as CRLF
 * ({@code bare_lf: normalize}) or fails the message ({@code reject}); either way it does not start a new line for
 * dot handling. Oversize text, over-long lines and NULs fail the message, and the decoder keeps reading to the
 * terminator so the session stays in step with the client.
 *
 * <p>Flow control: the session {@link #pause() pauses} the decoder while a reply depends on asynchronous work
 * (journal append, AUTH check, a delayed reply), so pipelined commands wait in the buffer; when more than
 * {@code maxBufferedBytes} wait, the connection stops reading ({@link ReadGate#PIPELINE_FULL}).
 *
 * <p>Threading: one instance per channel, event loop only.
 */
public final class SmtpServerDecoder extends ChannelInboundHandlerAdapter {

    private static final ByteProcessor FIND_CR_OR_NUL = b -> b != '\r' && b != 0;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] DOT_CRLF = {'.', '\r', '\n'};

    private enum Mode { COMMAND, DATA }

    /** Where the DATA scanner stands; only {@link #LINE_START} follows a real CRLF. */
    private enum DataState { LINE_START, AFTER_DOT, AFTER_DOT_CR, IN_LINE, AFTER_CR }

    private final int maxCommandLine;
    private final int maxBufferedBytes;
    private final ReadGate gate;
    private final CommandLine line = new CommandLine();

    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private Mode mode = Mode.COMMAND;
    private boolean paused;
    private boolean draining;
    private boolean discardingLongLine;
    private int discardedOctets;

    private ByteBuf target;
    private long maxTextBytes;
    private int maxTextLine;
    private boolean normalizeBareLineEndings;
    private long storedBytes;
    /** Octets of DATA input consumed since {@link #startData} (before unstuffing; counts discarded text too). */
    private long dataOctets;
    private int lineOctets;
    /** Input stored but not yet copied to {@link #target}: {@code runLength} octets of {@code runSource} at runStart. */
    private ByteBuf runSource;
    private int runStart;
    private int runLength;
    /** Reader index up to which {@link #dataOctets} counts the input being scanned. */
    private int countedTo;
    private DataState dataState;
    private DataResult dataError;

    /**
     * @param maxCommandLine   longest command line in octets, CRLF included
     * @param maxBufferedBytes unprocessed input held while paused before reading stops
     * @param gate             the channel's read gate
     */
    public SmtpServerDecoder(int maxCommandLine, int maxBufferedBytes, ReadGate gate) {
        this.maxCommandLine = maxCommandLine;
        this.maxBufferedBytes = maxBufferedBytes;
        this.gate = gate;
    }

    /**
     * Switches to DATA text after the session has answered 354. Text goes into {@code target} (which must be able to
     * grow by {@code maxBytes}) until the terminator, then a {@link DataResult} is fired and command mode resumes.
     *
     * @param maxBytes        size limit of the stored text
     * @param maxLineOctets   longest text line, CRLF included
     * @param normalizeBareLf store a bare LF/CR as CRLF (true) or fail the message (false)
     */
    public void startData(ByteBuf target, long maxBytes, int maxLineOctets, boolean normalizeBareLf) {
        this.mode = Mode.DATA;
        this.target = target;
        this.runLength = 0;
        this.runSource = null;
        this.maxTextBytes = maxBytes;
        this.maxTextLine = maxLineOctets;
        this.normalizeBareLineEndings = normalizeBareLf;
        this.storedBytes = 0;
        this.dataOctets = 0;
        this.lineOctets = 0;
        this.dataState = DataState.LINE_START;
        this.dataError = null;
    }

    /** Stops firing frames until {@link #resume}; input keeps accumulating up to the buffer limit. */
    public void pause() {
        paused = true;
    }

    /** Fires any complete frames already buffered. Safe to call from inside a frame's handling. */
    public void resume() {
        paused = false;
        if (!draining && ctx != null) {
            drain(ctx);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    public boolean isPaused() {
        return paused;
    }

    /** Drops input buffered but not yet decoded: after STARTTLS, pipelined plaintext must not be trusted. */
    public void discardBuffered() {
        if (cumulation != null) {
            cumulation.skipBytes(cumulation.readableBytes());
        }
        discardingLongLine = false;
    }

    /** Unprocessed input octets. */
    public int bufferedBytes() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    public boolean inData() {
        return mode == Mode.DATA;
    }

    /**
     * Part of a command line has arrived but not its CRLF (also while an over-long line is being discarded): the
     * client is in the middle of a command. False in DATA.
     */
    public boolean hasPartialCommand() {
        return mode == Mode.COMMAND && (discardingLongLine || bufferedBytes() > 0);
    }

    /** Octets of DATA input consumed since the last {@link #startData}, the terminator included once it arrived. */
    public long dataOctets() {
        return dataOctets;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        drain(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseCumulation();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseCumulation();
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    private void drain(ChannelHandlerContext ctx) {
        draining = true;
        try {
            while (!paused && cumulation != null && cumulation.isReadable()) {
                boolean progressed = mode == Mode.COMMAND ? decodeCommand(ctx, cumulation) : decodeData(ctx, cumulation);
                if (!progressed) {
                    break;
                }
            }
        } finally {
            draining = false;
        }
        if (cumulation != null) {
            if (!cumulation.isReadable()) {
                releaseCumulation();
            } else {
                cumulation.discardSomeReadBytes();
            }
        }
        if (paused && bufferedBytes() > maxBufferedBytes) {
            gate.close(ReadGate.PIPELINE_FULL);
        } else {
            gate.open(ReadGate.PIPELINE_FULL);
        }
    }

    /** Decodes at most one command line; false when a complete line is not yet buffered. */
    private boolean decodeCommand(ChannelHandlerContext ctx, ByteBuf buf) {
        int start = buf.readerIndex();
        int readable = buf.readableBytes();
        if (discardingLongLine) {
            int lf = buf.forEachByte(start, readable, ByteProcessor.FIND_LF);
            if (lf < 0) {
                discardedOctets += readable;
                buf.skipBytes(readable);
                return false;
            }
            discardedOctets += lf - start + 1;
            buf.readerIndex(lf + 1);
            discardingLongLine = false;
            line.setError(CommandLine.Status.TOO_LONG, discardedOctets);
            ctx.fireChannelRead(line);
            return true;
        }
        int lf = buf.forEachByte(start, Math.min(readable, maxCommandLine), ByteProcessor.FIND_LF);
        if (lf < 0) {
            if (readable < maxCommandLine) {
                return false;
            }
            discardingLongLine = true;
            discardedOctets = 0;
            return true;
        }
        int lineLength = lf - start + 1;
        buf.readerIndex(lf + 1);
        if (lf == start || buf.getByte(lf - 1) != '\r') {
            line.setError(CommandLine.Status.BARE_LINE_ENDING, lineLength);
        } else {
            int contentEnd = lf - 1;
            int bad = buf.forEachByte(start, contentEnd - start, FIND_CR_OR_NUL);
            if (bad >= 0) {
                line.setError(buf.getByte(bad) == 0 ? CommandLine.Status.NUL : CommandLine.Status.BARE_LINE_ENDING,
                        lineLength);
            } else {
                setCommand(buf, start, contentEnd, lineLength);
            }
        }
        ctx.fireChannelRead(line);
        return true;
    }

    private void setCommand(ByteBuf buf, int start, int end, int lineLength) {
        int space = buf.forEachByte(start, end - start, ByteProcessor.FIND_ASCII_SPACE);
        int verbEnd = space < 0 ? end : space;
        SmtpVerb verb = SmtpVerb.match(buf, start, verbEnd - start);
        int argStart = verbEnd;
        while (argStart < end && buf.getByte(argStart) == ' ') {
            argStart++;
        }
        int argEnd = end;
        while (argEnd > argStart && buf.getByte(argEnd - 1) == ' ') {
            argEnd--;
        }
        line.set(verb, buf, start, end - start, argStart, argEnd - argStart, lineLength);
    }

    /** Consumes DATA text; true while there is progress. */
    private boolean decodeData(ChannelHandlerContext ctx, ByteBuf buf) {
        countedTo = buf.readerIndex();
        try {
            return scanData(ctx, buf);
        } finally {
            countDataOctets(buf);
        }
    }

    /** Adds the octets consumed since the last count; done before the DataResult fires so its handler sees them. */
    private void countDataOctets(ByteBuf buf) {
        dataOctets += buf.readerIndex() - countedTo;
        countedTo = buf.readerIndex();
    }

    private boolean scanData(ChannelHandlerContext ctx, ByteBuf buf) {
        try {
            return scanText(ctx, buf);
        } finally {
            flushRun(); // the input is compacted between reads: a run never outlives one scan
        }
    }

    private boolean scanText(ChannelHandlerContext ctx, ByteBuf buf) {
        while (buf.isReadable()) {
            switch (dataState) {
                case LINE_START:
                    if (buf.getByte(buf.readerIndex()) == '.') {
                        buf.skipBytes(1);
                        lineOctets = 1;
                        dataState = DataState.AFTER_DOT;
                    } else {
                        dataState = DataState.IN_LINE;
                    }
                    break;
                case AFTER_DOT: {
                    byte b = buf.getByte(buf.readerIndex());
                    if (b == '\r') {
                        buf.skipBytes(1);
                        dataState = DataState.AFTER_DOT_CR;
                    } else if (b == '\n') {
                        buf.skipBytes(1);
                        bareLineEnding(DOT_CRLF);
                    } else {
                        // RFC 5321 4.5.2: a leading dot followed by more text is removed.
                        dataState = DataState.IN_LINE;
                    }
                    break;
                }
                case AFTER_DOT_CR:
                    if (buf.getByte(buf.readerIndex()) == '\n') {
                        buf.skipBytes(1);
                        countDataOctets(buf);
                        endOfData(ctx);
                        return true;
                    }
                    bareLineEnding(DOT_CRLF);
                    break;
                case IN_LINE:
                    scanLine(buf);
                    break;
                case AFTER_CR:
                    if (buf.getByte(buf.readerIndex()) == '\n') {
                        buf.skipBytes(1);
                        store(CRLF);
                        lineOctets = 0;
                        dataState = DataState.LINE_START;
                    } else {
                        bareLineEnding(CRLF);
                    }
                    break;
                default:
                    throw new IllegalStateException(dataState.name());
            }
        }
        return true;
    }

    /**
     * Copies ordinary text in bulk up to the next CR, LF or NUL, and steps over that octet; a CRLF that is all here
     * is taken at once, stored with its line (one copy for both: runs of lines are copied together, see
     * {@link #store(ByteBuf, int, int)}).
     */
    private void scanLine(ByteBuf buf) {
        int start = buf.readerIndex();
        int readable = buf.readableBytes();
        int stop = LineBytes.indexOfCrLfNul(buf, start, start + readable);
        int length = (stop < 0 ? start + readable : stop) - start;
        if (length > 0) {
            // Report whichever limit the stream crosses first, at the same octet however TCP split it: the line limit
            // is crossed at octet lineRoom of this run, the size limit at octet sizeRoom (a tie goes to the line).
            int lineRoom = maxTextLine - CRLF.length - lineOctets;
            long sizeRoom = maxTextBytes - storedBytes;
            if (length > lineRoom && lineRoom <= sizeRoom) {
                fail(DataResult.LINE_TOO_LONG);
            }
            lineOctets += length;
            store(buf, start, length);
            buf.skipBytes(length);
        }
        if (stop < 0) {
            return;
        }
        if (buf.getByte(stop) == '\r' && stop + 1 < start + readable && buf.getByte(stop + 1) == '\n') {
            store(buf, stop, 2); // the line's own CRLF, right after its text: the same run
            buf.skipBytes(2);
            lineOctets = 0;
            dataState = DataState.LINE_START;
            return;
        }
        byte special = buf.readByte();
        if (special == '\r') {
            dataState = DataState.AFTER_CR;
        } else if (special == '\n') {
            bareLineEnding(CRLF);
        } else {
            fail(DataResult.NUL);
        }
    }

    /** A LF or CR that is not part of a CRLF: never a line start, so never dot handling or end of data. */
    private void bareLineEnding(byte[] replacement) {
        if (normalizeBareLineEndings) {
            store(replacement);
        } else {
            fail(DataResult.BARE_LINE_ENDING);
        }
        lineOctets = 0;
        dataState = DataState.IN_LINE;
    }

    private void store(byte[] bytes) {
        if (dataError == null && reserve(bytes.length)) {
            flushRun();
            target.writeBytes(bytes);
        }
    }

    /**
     * Stores {@code length} octets of the input at {@code index}: counted now (limits act at the same octet as
     * ever), copied when the run of adjacent input they extend ends ({@link #flushRun}): before a constant is stored,
     * before the end of data is reported, and whenever {@link #scanData} returns (the input may move after that).
     * So a message of plain lines costs one copy per read, not two per line.
     */
    private void store(ByteBuf src, int index, int length) {
        if (dataError == null && reserve(length)) {
            if (runLength > 0 && src == runSource && index == runStart + runLength) {
                runLength += length;
                return;
            }
            flushRun();
            runSource = src;
            runStart = index;
            runLength = length;
        }
    }

    private void flushRun() {
        if (runLength > 0) {
            target.writeBytes(runSource, runStart, runLength);
            runLength = 0;
            runSource = null;
        }
    }

    private boolean reserve(int length) {
        if (storedBytes + length > maxTextBytes) {
            fail(DataResult.TOO_BIG);
            return false;
        }
        storedBytes += length;
        return true;
    }

    private void fail(DataResult result) {
        if (dataError == null) {
            dataError = result;
        }
    }

    private void endOfData(ChannelHandlerContext ctx) {
        flushRun();
        DataResult result = dataError == null ? DataResult.COMPLETE : dataError;
        mode = Mode.COMMAND;
        target = null;
        dataError = null;
        ctx.fireChannelRead(result);
    }
}
