package io.sluice.bench.load;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyDecoderTest {

    private final List<String> replies = new ArrayList<>();
    private final EmbeddedChannel channel =
            new EmbeddedChannel(new ReplyDecoder((code, pipelining) -> replies.add(code + "/" + pipelining)));

    private void feed(String... chunks) {
        for (String chunk : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldAssembleAMultiLineEhloSplitAtAwkwardPoints() {
        feed("250-sink.test\r", "\n250-SIZE 1000\r\n25", "0-PIPE", "LINING\r\n250 8BITMIME", "\r\n");
        assertThat(replies).containsExactly("250/true");
    }

    @Test
    void shouldReportPipeliningOnlyForTheExactKeyword() {
        feed("250-x\r\n250-PIPELININGX\r\n250 OK\r\n", "250-x\r\n250 pipelining\r\n", "250-X-PIPELINING\r\n250 Y\r\n");
        assertThat(replies).containsExactly("250/false", "250/true", "250/false");
    }

    @Test
    void shouldDeliverSeveralPipelinedRepliesFromOneReadInOrder() {
        feed("250 2.1.0 Ok\r\n452 4.3.1 full\r\n354 go ahead\r\n221\r\n");
        assertThat(replies).containsExactly("250/false", "452/false", "354/false", "221/false");
    }

    @Test
    void shouldAcceptABareLfFromTheServer() {
        feed("220 hi\n");
        assertThat(replies).containsExactly("220/false");
    }

    @Test
    void shouldFailOnALineWithoutACode() {
        assertThatThrownBy(() -> feed("hello\r\n")).isInstanceOf(DecoderException.class);
    }

    @Test
    void shouldFailOnAnEndlessLine() {
        assertThatThrownBy(() -> feed("250 " + "x".repeat(ReplyDecoder.MAX_LINE_BYTES + 10)))
                .isInstanceOf(DecoderException.class);
    }
}
