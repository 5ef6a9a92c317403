package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Every byte sequence the client sends, encoded once per run into direct buffers: EHLO, MAIL, each RCPT, DATA,
 * the pipelined envelope (MAIL + RCPTs + DATA in one buffer), RSET, QUIT, the message header and the dot-stuffed
 * text with its terminating ".CRLF".
 *
 * <p>Sessions send {@code buffer.duplicate()}: the shared buffers are wrapped unreleasable, so a duplicate is one
 * small object and no reference count is touched across event loops. Only the header is copied per message (into a
 * pooled buffer from the channel's allocator) because its Message-ID digits differ. Thread-safe for reads after
 * construction; {@link #release()} once, after the event loops have terminated.
 */
final class WireCommands {

    final ByteBuf ehlo;
    final ByteBuf mail;
    final ByteBuf[] rcpt;
    final ByteBuf data;
    final ByteBuf envelope;
    final ByteBuf rset;
    final ByteBuf quit;
    final ByteBuf body;
    private final ByteBuf header;
    private final MessageTemplate template;
    private final ByteBuf[] owned;

    WireCommands(MessageTemplate template, String ehloName, String mailFrom, List<String> recipients) {
        this.template = template;
        StringBuilder batch = new StringBuilder();
        String mailLine = "MAIL FROM:<" + mailFrom + ">\r\n";
        batch.append(mailLine);
        ehlo = shared("EHLO " + ehloName + "\r\n");
        mail = shared(mailLine);
        rcpt = new ByteBuf[recipients.size()];
        for (int i = 0; i < rcpt.length; i++) {
            String line = "RCPT TO:<" + recipients.get(i) + ">\r\n";
            rcpt[i] = shared(line);
            batch.append(line);
        }
        batch.append("DATA\r\n");
        data = shared("DATA\r\n");
        envelope = shared(batch.toString());
        rset = shared("RSET\r\n");
        quit = shared("QUIT\r\n");
        header = shared(template.header());
        body = shared(template.wireText());
        owned = new ByteBuf[rcpt.length + 8];
        owned[0] = ehlo;
        owned[1] = mail;
        owned[2] = data;
        owned[3] = envelope;
        owned[4] = rset;
        owned[5] = quit;
        owned[6] = header;
        owned[7] = body;
        System.arraycopy(rcpt, 0, owned, 8, rcpt.length);
    }

    /** @return a fresh pooled copy of the header with message number {@code id} in its Message-ID */
    ByteBuf headerFor(ByteBufAllocator alloc, long id) {
        int length = header.readableBytes();
        ByteBuf copy = alloc.directBuffer(length);
        copy.writeBytes(header, header.readerIndex(), length);
        template.writeMessageId(copy, 0, id);
        return copy;
    }

    void release() {
        for (ByteBuf buf : owned) {
            buf.unwrap().release();
        }
    }

    private static ByteBuf shared(String ascii) {
        return shared(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    private static ByteBuf shared(byte[] bytes) {
        ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        return Unpooled.unreleasableBuffer(direct);
    }
}
