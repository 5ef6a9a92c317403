package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/**
 * {@link SubmissionHygiene} on buffers laid out as DATA leaves them (headroom in front of the text): the exact
 * headers added in place, UTF-8 in the added headers, the copy path when {@code X-Sluice-*} fields are cut out,
 * and that one instance reused for the next message carries nothing over.
 */
class SubmissionHygieneTest {
    private static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    private static final long NOW = 1_790_000_000_123L;
    private static final SubmissionHygiene.Origin TRUSTED =
            new SubmissionHygiene.Origin("client.example", "127.0.0.1", "ESMTP", true);

    private final SubmissionHygiene hygiene = new SubmissionHygiene("relay.test", 50);

    @Test
    void addsReceivedMessageIdAndDateInFrontOfTheTextWithoutCopying() {
        String body = "Subject: hi\r\n\r\nHello.\r\n";
        ByteBuf text = data(body);
        SubmissionHygiene.Result r = hygiene.apply(text, "ID1", TRUSTED, "u@x.org", NOW, ALLOC);
        String date = expectedDate(NOW);
        assertThat(r.text()).as("written in place").isSameAs(text);
        assertThat(r.text().toString(StandardCharsets.UTF_8)).isEqualTo(
                "Received: from client.example ([127.0.0.1])\r\n\tby relay.test (Sluice) with ESMTP id ID1\r\n"
                + "\tfor <u@x.org>; " + date + "\r\n"
                + "Message-ID: <ID1@relay.test>\r\n"
                + "Date: " + date + "\r\n" + body);
        assertThat(r.tags()).isEmpty();
        r.text().release();
    }

    @Test
    void writesUtf8InTheAddedHeadersAndLeavesTheTextIntact() {
        String body = "Message-ID: <m@x>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\nÜber.\r\n";
        ByteBuf text = data(body);
        String recipient = "ünïcode@例え.jp";
        SubmissionHygiene.Result r = hygiene.apply(text, "ID2",
                new SubmissionHygiene.Origin("hélo(x)", "127.0.0.1", "UTF8SMTP", true), recipient, NOW, ALLOC);
        assertThat(r.text().toString(StandardCharsets.UTF_8)).isEqualTo(
                "Received: from h?lo?x? ([127.0.0.1])\r\n\tby relay.test (Sluice) with UTF8SMTP id ID2\r\n"
                + "\tfor <" + recipient + ">; " + expectedDate(NOW) + "\r\n" + body);
        r.text().release();
    }

    @Test
    void namesAnAsciiLocalPartAtAnInternationalDomainByItsALabels() {
        ByteBuf text = data("Subject: s\r\n\r\nb\r\n");
        SubmissionHygiene.Result r = hygiene.apply(text, "ID4",
                new SubmissionHygiene.Origin("h", "127.0.0.1", "UTF8SMTP", true), "user@παράδειγμα.test", NOW, ALLOC);
        assertThat(r.text().toString(StandardCharsets.UTF_8)).as("the trace header stays ASCII")
                .contains("\tfor <user@xn--hxajbheg2az3al.test>; ");
        r.text().release();
    }

    @Test
    void cutsOutXSluiceFieldsIntoTagsByCopyingAndTheNextMessageStartsClean() {
        ByteBuf first = data("X-Sluice-Pool: bulk\r\nSubject: one\r\nX-Sluice-Campaign: c\r\n  42\r\n\r\nbody\r\n");
        SubmissionHygiene.Result r1 = hygiene.apply(first, "ID3", TRUSTED, null, NOW, ALLOC);
        assertThat(r1.tags())
            .containsExactly(java.util.Map.entry("pool", "bulk"), java.util.Map.entry("campaign", "c 42"));
        assertThat(r1.text()).isNotSameAs(first);
        assertThat(r1.text().toString(StandardCharsets.UTF_8)).endsWith("\r\nSubject: one\r\n\r\nbody\r\n")
            .doesNotContain("X-Sluice");
        r1.text().release();

        ByteBuf second = data("Subject: two\r\n\r\nbody\r\n");
        SubmissionHygiene.Result r2 = hygiene.apply(second, "ID4", TRUSTED, null, NOW + 1_000, ALLOC);
        assertThat(r2.tags()).isEmpty();
        assertThat(r2.text()).as("nothing to cut: in place again").isSameAs(second);
        assertThat(r2.text().toString(StandardCharsets.UTF_8))
            .startsWith("Received: from client.example ([127.0.0.1])\r\n\tby relay.test (Sluice) with ESMTP id ID4; "
                + expectedDate(NOW + 1_000) + "\r\nMessage-ID: <ID4@relay.test>\r\n")
            .endsWith("\r\nSubject: two\r\n\r\nbody\r\n");
        r2.text().release();
    }

    @Test
    void refusesAMessageOverTheHopLimit() {
        SubmissionHygiene strict = new SubmissionHygiene("relay.test", 2);
        ByteBuf text = data("Received: a\r\nReceived: b\r\n\r\nloop\r\n");
        SubmissionHygiene.Result r = strict.apply(text, "ID5", TRUSTED, null, NOW, ALLOC);
        assertThat(r.text()).isNull();
        assertThat(r.refusal().toString(StandardCharsets.US_ASCII)).startsWith("554 5.4.6");
        assertThat(text.refCnt()).as("released").isZero();
    }

    @Test
    void theHeaderDateIsTheRfc5322TextOfItsSecondWithANumericZone() {
        assertThat(HeaderDate.format(NOW)).isEqualTo(expectedDate(NOW))
                .as("a numeric zone, not the obsolete GMT").matches(".* \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}");
        assertThat(HeaderDate.format(NOW + 876)).isEqualTo(expectedDate(NOW));
        assertThat(HeaderDate.format(NOW + 877)).isEqualTo(expectedDate(NOW + 1_000));
    }

    /** The message text after the DATA headroom, as the decoder leaves it. */
    private static ByteBuf data(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = ALLOC.directBuffer(SubmissionHygiene.HEADROOM + bytes.length);
        buf.writerIndex(SubmissionHygiene.HEADROOM).readerIndex(SubmissionHygiene.HEADROOM);
        buf.writeBytes(bytes);
        return buf;
    }

    private static String expectedDate(long millis) {
        return DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", java.util.Locale.US).format(
                ZonedDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(millis, 1000)), ZoneId.systemDefault()));
    }
}
