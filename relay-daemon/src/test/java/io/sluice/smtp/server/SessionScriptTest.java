package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzz input format of {@link SessionScript}: readable steps, escapes, and message text that keeps its dot. */
class SessionScriptTest {

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldDecodeStepsWithVerbsEscapesAndPipelining() {
        List<SessionScript.Step> steps = SessionScript.decode(
                "E client.test\n+M <a@b.test> SIZE=9\nR <c@d.test>\nN\nN\\n\n!NO\\0OP\nD x\\r\\ny\n".getBytes(
                        StandardCharsets.UTF_8));
        assertThat(steps).extracting(s -> text(s.command())).containsExactly("EHLO client.test\r\n",
                "MAIL FROM:<a@b.test> SIZE=9\r\n", "RCPT TO:<c@d.test>\r\n", "NOOP\r\n", "NOOP \n", "NO\0OP\r\n",
                "DATA\r\n");
        assertThat(steps).extracting(SessionScript.Step::pipelinedWithNext)
                .containsExactly(false, true, false, false, false, false, false);
        assertThat(text(steps.get(6).messageText())).isEqualTo("x\r\ny");
    }

    @Test
    void shouldStuffALoneDotSoTheMessageEndsOnlyAtTheAddedTerminator() {
        assertThat(text(SessionScript.withTerminator("a\r\n.\r\nb".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("a\r\n..\r\nb\r\n.\r\n");
        assertThat(text(SessionScript.withTerminator(".".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("..\r\n.\r\n");
        assertThat(text(SessionScript.withTerminator("a\r\n".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("a\r\n.\r\n");
        assertThat(text(SessionScript.withTerminator("\n.\n".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("\n.\n\r\n.\r\n");
    }
}
