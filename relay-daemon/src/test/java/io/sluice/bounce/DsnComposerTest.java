package io.sluice.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** DSNs are parsed back with a real MIME parser (Jakarta Mail) and checked field by field (RFC 3464, RFC 6522). */
class DsnComposerTest {
    private static final byte[] HEADERS = ("Received: from app ([127.0.0.1])\r\n\tby mx.sluice.test (Sluice) with ESMTP"
            + " id 1a2b3c4d5e6f7081\r\nFrom: app@client.test\r\nTo: gone@dest.test\r\nSubject: hello\r\n"
            + "Message-ID: <m1@client.test>").getBytes(StandardCharsets.US_ASCII);

    private static DsnReport report(List<RecipientStatus> recipients, byte[] headers, String sender) {
        return new DsnReport("mx.sluice.test", "1a2b3c4d5e6f7081.dsn", "1a2b3c4d5e6f7081",
                Instant.parse("2026-11-22T08:00:00Z"), Instant.parse("2026-11-22T09:00:00Z"), sender, recipients,
                headers);
    }

    private static MimeMessage parse(byte[] dsn) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(dsn));
    }

    @Test
    void shouldComposeMultipartReportThatParsesBack() throws Exception {
        byte[] dsn = DsnComposer.compose(report(List.of(
                new RecipientStatus("gone@dest.test", RecipientStatus.Action.FAILED, "5.1.1", "mx1.dest.test",
                        "550 5.1.1 <gone@dest.test>: user unknown"),
                new RecipientStatus("other@dest.test", RecipientStatus.Action.FAILED, "5.1.2", null,
                        "Domain dest.test does not exist (NXDOMAIN)")), HEADERS, "app@client.test"));
        MimeMessage message = parse(dsn);
        assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        assertThat(message.getHeader("To")[0]).isEqualTo("<app@client.test>");
        assertThat(message.getHeader("Auto-Submitted")[0]).isEqualTo("auto-replied");
        assertThat(message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat((String) parts.getBodyPart(0).getContent()).contains("<gone@dest.test>: failed (5.1.1)",
                "mx1.dest.test said: 550 5.1.1");
        assertThat(parts.getBodyPart(1).getContentType()).isEqualTo("message/delivery-status");
        try (InputStream status = parts.getBodyPart(1).getInputStream()) {
            InternetHeaders perMessage = new InternetHeaders(status);
            assertThat(perMessage.getHeader("Reporting-MTA")[0]).isEqualTo("dns; mx.sluice.test");
            assertThat(perMessage.getHeader("Arrival-Date")[0]).isEqualTo("Sun, 22 Nov 2026 08:00:00 +0000");
            InternetHeaders first = new InternetHeaders(status);
            assertThat(first.getHeader("Final-Recipient")[0]).isEqualTo("rfc822; gone@dest.test");
            assertThat(first.getHeader("Action")[0]).isEqualTo("failed");
            assertThat(first.getHeader("Status")[0]).isEqualTo("5.1.1");
            assertThat(first.getHeader("Remote-MTA")[0]).isEqualTo("dns; mx1.dest.test");
            assertThat(first.getHeader("Diagnostic-Code")[0]).isEqualTo("smtp; 550 5.1.1 <gone@dest.test>: user unknown");
            InternetHeaders second = new InternetHeaders(status);
            assertThat(second.getHeader("Final-Recipient")[0]).isEqualTo("rfc822; other@dest.test");
            assertThat(second.getHeader("Remote-MTA")).isNull();
            assertThat(second.getHeader("Diagnostic-Code")[0]).as("Sluice's own finding, not a remote reply")
                    .isEqualTo("X-Sluice; Domain dest.test does not exist (NXDOMAIN)");
            assertThat(second.getHeader("Last-Attempt-Date")[0]).isEqualTo("Sun, 22 Nov 2026 09:00:00 +0000");
        }
        assertThat(message.getHeader("Date")[0]).isEqualTo("Sun, 22 Nov 2026 09:00:00 +0000");
        assertThat(parts.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
        try (InputStream headers = parts.getBodyPart(2).getInputStream()) {
            assertThat(new String(headers.readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo(new String(HEADERS, StandardCharsets.US_ASCII) + "\r\n");
        }
    }

    @Test
    void shouldNeutraliseHostileDiagnosticText() throws Exception {
        String hostile = "550 no\r\nContent-Type: text/html\r\n\r\n--=_sluice_x--\r\n" + "y".repeat(2000);
        byte[] dsn = DsnComposer.compose(report(List.of(new RecipientStatus("gone@dest.test",
                RecipientStatus.Action.FAILED, "5.0.0", "mx1.dest.test", hostile)), HEADERS, "app@client.test"));
        MimeMultipart parts = (MimeMultipart) parse(dsn).getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        try (InputStream status = parts.getBodyPart(1).getInputStream()) {
            new InternetHeaders(status);
            String diagnostic = new InternetHeaders(status).getHeader("Diagnostic-Code")[0];
            assertThat(diagnostic).startsWith("smtp; 550 no  Content-Type: text/html").doesNotContain("\n");
            assertThat(diagnostic.length()).isLessThanOrEqualTo("smtp; ".length() + DsnComposer.MAX_DIAGNOSTIC);
        }
    }

    @Test
    void shouldNeverLetAnAddressBreakAHeader() throws Exception {
        // The ingress parser refuses these; the writer must not trust that (an older journal, a tool).
        String sender = "app@client.test>\r\nBcc: victim@else.test\u2028\u0085";
        String recipient = "gone@dest.test\r\nX-Injected: 1";
        byte[] dsn = DsnComposer.compose(report(List.of(new RecipientStatus(recipient, RecipientStatus.Action.FAILED,
                "5.1.1", "mx1.dest.test", "550 no")), HEADERS, sender));
        String text = new String(dsn, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r\nBcc:", "\r\nX-Injected:", "\u2028", "\u0085")
                .contains("To: <app@client.test>??Bcc: victim@else.test??>\r\n",
                        "Final-Recipient: rfc822; gone@dest.test??X-Injected: 1\r\n");
        assertThat(parse(dsn).getHeader("Bcc")).isNull();
    }

    @Test
    void shouldUseGlobalFormsForInternationalAddresses() throws Exception {
        byte[] dsn = DsnComposer.compose(report(List.of(new RecipientStatus("jürgen@dest.test",
                RecipientStatus.Action.FAILED, "5.1.1", "mx1.dest.test", "550 5.1.1 unknown")), HEADERS,
                "app@client.test"));
        String text = new String(dsn, StandardCharsets.UTF_8);
        assertThat(text).contains("Content-Type: message/global-delivery-status",
                "Final-Recipient: utf-8; jürgen@dest.test", "Content-Type: message/global-headers");
    }

    @Test
    void shouldSayDelayedForWarnings() throws Exception {
        byte[] dsn = DsnComposer.compose(report(List.of(new RecipientStatus("slow@dest.test",
                RecipientStatus.Action.DELAYED, "4.4.1", "mx1.dest.test", "421 4.4.1 try later")), HEADERS,
                "app@client.test"));
        assertThat(parse(dsn).getSubject()).isEqualTo("Delayed Mail (still being retried)");
    }

    @Test
    void shouldRefuseDsnToNullSenderAndBadStatus() {
        List<RecipientStatus> one = List.of(new RecipientStatus("a@b.test", RecipientStatus.Action.FAILED, "5.1.1",
                null, null));
        assertThatThrownBy(() -> report(one, HEADERS, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null sender");
        assertThatThrownBy(() -> new RecipientStatus("a@b.test", RecipientStatus.Action.FAILED, "550", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCutHeaderSectionAtTheEmptyLine() {
        byte[] message = "A: 1\r\nB: 2\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(OriginalHeaders.of(ByteBuffer.wrap(message)), StandardCharsets.US_ASCII))
                .isEqualTo("A: 1\r\nB: 2");
        assertThat(OriginalHeaders.of(ByteBuffer.wrap("\r\nbody".getBytes(StandardCharsets.US_ASCII)))).isEmpty();
        byte[] noBody = "A: 1\r\nB: 2\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(OriginalHeaders.of(ByteBuffer.wrap(noBody)), StandardCharsets.US_ASCII))
                .isEqualTo("A: 1\r\nB: 2");
        StringBuilder huge = new StringBuilder();
        while (huge.length() < 2 * OriginalHeaders.MAX_BYTES) {
            huge.append("X-Filler: ").append("z".repeat(70)).append("\r\n");
        }
        byte[] cut = OriginalHeaders.of(ByteBuffer.wrap(huge.toString().getBytes(StandardCharsets.US_ASCII)));
        assertThat(cut.length).isLessThanOrEqualTo(OriginalHeaders.MAX_BYTES);
        assertThat(new String(cut, StandardCharsets.US_ASCII)).endsWith("z").doesNotEndWith("\r\n");
    }
}
