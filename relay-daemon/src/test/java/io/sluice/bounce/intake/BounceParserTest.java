package io.sluice.bounce.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bounce.intake.BounceReport.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bounce parser on messages written the way the common MTAs write them (independent of the corpus, so these run
 * everywhere): recipients, status, diagnostic and failed command per format, and hostile input that must not throw.
 */
class BounceParserTest {

    private static BounceReport parse(String message) {
        return BounceParser.parse(message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadEveryRecipientOfAnRfc3464ReportEvenWithoutBlankLinesBetweenThem() {
        BounceReport r = parse("""
                From: MAILER-DAEMON@mx.example.net
                To: sender@example.org
                Subject: Delivery Status Notification (Failure)
                Content-Type: multipart/report; report-type=delivery-status; boundary="b"

                --b
                Content-Type: text/plain

                Delivery failed.
                --b
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.net

                Final-Recipient: rfc822; <One@Example.NET>
                Action: failed
                Status: 5.0.0
                Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does
                 550-5.1.1 not exist. Please try double-checking the recipient's email
                 550 5.1.1 address for typos.
                Final-Recipient: rfc822; two@example.net
                Action: delayed
                Status: 4.2.2
                Diagnostic-Code: smtp; 452 4.2.2 over quota
                --b
                Content-Type: message/rfc822

                Message-ID: <orig-1@example.org>
                From: sender@example.org
                To: one@example.net

                body
                --b--
                """);
        assertThat(r.kind()).isEqualTo(Kind.DSN);
        assertThat(r.originalMessageId()).isEqualTo("<orig-1@example.org>");
        assertThat(r.recipients()).extracting(BouncedRecipient::address).containsExactly("one@example.net",
                "two@example.net");
        BouncedRecipient one = r.recipients().get(0);
        assertThat(one.status()).as("x.0.0 in the DSN, the reply's own status is more precise").isEqualTo("5.1.1");
        assertThat(one.replyCode()).isEqualTo(550);
        assertThat(one.diagnostic()).contains("does not exist. Please try double-checking the recipient's email "
                + "address").doesNotContain("550-5.1.1 not");
        assertThat(r.recipients().get(1).action()).isEqualTo("delayed");
        assertThat(r.recipients().get(1).status()).isEqualTo("4.2.2");
    }

    @Test
    void shouldReadAnEximTextBounceWithTheCommandThatFailed() {
        BounceReport r = parse("""
                From: Mail Delivery System <Mailer-Daemon@relay.example.org>
                To: sender@example.org
                Subject: Mail delivery failed: returning message to sender
                X-Failed-Recipients: a@example.jp, b@example.jp

                This message was created automatically by mail delivery software.

                A message that you sent could not be delivered to one or more of its
                recipients. This is a permanent error. The following address(es) failed:

                  a@example.jp
                    SMTP error from remote mail server after RCPT TO:<a@example.jp>:
                    host mx.example.jp [192.0.2.1]: 550 5.1.1 <a@example.jp>... User Unknown
                  b@example.jp
                    SMTP error from remote mail server after end of data:
                    host mx.example.jp [192.0.2.1]: 552 5.2.2 Mailbox full

                ------ This is a copy of the message, including all the headers. ------

                Message-Id: <orig-2@example.org>
                To: a@example.jp, b@example.jp, c@example.jp

                hello
                """);
        assertThat(r.kind()).isEqualTo(Kind.TEXT_BOUNCE);
        assertThat(r.originalMessageId()).isEqualTo("<orig-2@example.org>");
        assertThat(r.recipients()).extracting(BouncedRecipient::address).containsExactly("a@example.jp",
                "b@example.jp");
        assertThat(r.recipients().get(0).command()).isEqualTo("RCPT");
        assertThat(r.recipients().get(0).status()).isEqualTo("5.1.1");
        assertThat(r.recipients().get(1).command()).isEqualTo("DATA");
        assertThat(r.recipients().get(1).diagnostic()).contains("Mailbox full").doesNotContain("User Unknown");
    }

    @Test
    void shouldReadAQmailBounce() {
        BounceReport r = parse("""
                From: MAILER-DAEMON@mx.example.jp
                To: sender@example.org
                Subject: failure notice

                Hi. This is the qmail-send program at mx.example.jp.
                I'm afraid I wasn't able to deliver your message to the following addresses.
                This is a permanent error; I've given up. Sorry it didn't work out.

                <nobody@example.ne.jp>:
                192.0.2.2 does not like recipient.
                Remote host said: 550 5.1.1 <nobody@example.ne.jp>: Recipient address rejected: User unknown
                Giving up on 192.0.2.2.

                --- Below this line is a copy of the message.

                Return-Path: <sender@example.org>
                To: nobody@example.ne.jp
                """);
        assertThat(r.recipients()).singleElement().satisfies(x -> {
            assertThat(x.address()).isEqualTo("nobody@example.ne.jp");
            assertThat(x.command()).isEqualTo("RCPT");
            assertThat(x.replyCode()).isEqualTo(550);
        });
    }

    @Test
    void shouldReadAnArfComplaintWithEveryReportedRecipient() {
        BounceReport r = parse("""
                From: feedback@fbl.example.net
                To: fbl@bounces.example.org
                Subject: Abuse report
                Content-Type: multipart/report; report-type=feedback-report; boundary="f"

                --f
                Content-Type: text/plain

                This is an email abuse report.
                --f
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: ExampleFBL/1.0
                Version: 1
                Original-Rcpt-To: <x@example.net>
                Original-Rcpt-To: y@example.net
                --f
                Content-Type: message/rfc822

                Message-ID: <orig-3@example.org>
                To: x@example.net

                spam?
                --f--
                """);
        assertThat(r.kind()).isEqualTo(Kind.COMPLAINT);
        assertThat(r.feedbackType()).isEqualTo("abuse");
        assertThat(r.originalMessageId()).isEqualTo("<orig-3@example.org>");
        assertThat(r.recipients()).extracting(BouncedRecipient::address).containsExactly("x@example.net",
                "y@example.net");
    }

    @Test
    void shouldReadAnSesNotificationInsideItsSnsEnvelope() {
        String inner = "{\\\"notificationType\\\":\\\"Bounce\\\",\\\"bounce\\\":{\\\"bounceType\\\":\\\"Permanent\\\","
                + "\\\"bouncedRecipients\\\":[{\\\"emailAddress\\\":\\\"z@example.com\\\",\\\"action\\\":\\\"failed\\\","
                + "\\\"status\\\":\\\"5.1.1\\\",\\\"diagnosticCode\\\":\\\"smtp; 550 5.1.1 user unknown\\\"}]},"
                + "\\\"mail\\\":{\\\"headers\\\":[{\\\"name\\\":\\\"Message-ID\\\",\\\"value\\\":\\\"<orig-4@example.org>\\\"}]}}";
        BounceReport r = parse("From: no-reply@sns.amazonaws.com\nTo: ops@example.org\nSubject: AWS Notification\n\n"
                + "{\n  \"Type\" : \"Notification\",\n  \"Message\" : \"" + inner + "\"\n}\n--\nunsubscribe footer\n");
        assertThat(r.kind()).isEqualTo(Kind.DSN);
        assertThat(r.originalMessageId()).isEqualTo("<orig-4@example.org>");
        assertThat(r.recipients()).singleElement().satisfies(x -> {
            assertThat(x.address()).isEqualTo("z@example.com");
            assertThat(x.status()).isEqualTo("5.1.1");
            assertThat(x.replyCode()).isEqualTo(550);
        });
    }

    @Test
    void shouldTellAutoRepliesAndOrdinaryMailFromBounces() {
        BounceReport auto = parse("From: Kim <kim@example.net>\nTo: sender@example.org\nSubject: Out of Office: hi\n"
                + "Auto-Submitted: auto-replied\n\nI am away until Monday.\n");
        assertThat(auto.kind()).isEqualTo(Kind.AUTO_REPLY);
        assertThat(auto.recipients()).extracting(BouncedRecipient::address).containsExactly("kim@example.net");

        BounceReport mail = parse("From: friend@example.net\nTo: sender@example.org\nSubject: lunch\n\n"
                + "Write to bob@example.com about it.\n");
        assertThat(mail.kind()).isEqualTo(Kind.NOT_A_BOUNCE);
        assertThat(mail.recipients()).isEmpty();
    }

    @Test
    void shouldReadABounceForwardedWithQuoting() {
        BounceReport r = parse("""
                From: Sender <sender@example.org>
                To: postmaster@example.org
                Subject: Fwd: Returned mail: see transcript for details

                Begin forwarded message:

                > From: Mail Delivery Subsystem <MAILER-DAEMON>
                > Subject: Returned mail: see transcript for details
                >
                >    ----- The following addresses had permanent fatal errors -----
                > <lost@example.com>
                >     (reason: 550 5.1.1 <lost@example.com>... User unknown)
                >
                >    ----- Transcript of session follows -----
                > ... while talking to mx.example.com.:
                >>>> RCPT To:<lost@example.com>
                > <<< 550 5.1.1 <lost@example.com>... User unknown
                """);
        assertThat(r.recipients()).extracting(BouncedRecipient::address).containsExactly("lost@example.com");
        assertThat(r.recipients().get(0).status()).isEqualTo("5.1.1");
    }

    @Test
    void shouldNeverThrowOnHostileInput() {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[random.nextInt(4000)];
            random.nextBytes(junk);
            assertThat(BounceParser.parse(junk)).isNotNull();
        }
        String deep = "Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n".repeat(200);
        assertThat(BounceParser.parse(deep.getBytes(StandardCharsets.US_ASCII))).isNotNull();
        String longLine = "From: MAILER-DAEMON@x\r\nSubject: failure\r\n\r\n" + "a".repeat(2_000_000) + "@b.example\r\n";
        assertThat(BounceParser.parse(longLine.getBytes(StandardCharsets.US_ASCII)).kind()).isNotNull();
        String noAt = "From: MAILER-DAEMON@x\r\nSubject: failure\r\n\r\n" + "a.".repeat(1_000_000) + "\r\n";
        long start = System.nanoTime();
        assertThat(BounceParser.parse(noAt.getBytes(StandardCharsets.US_ASCII)).recipients()).isEmpty();
        assertThat(System.nanoTime() - start).as("a 2 MB line without an address").isLessThan(5_000_000_000L);
        // patterns that are quadratic if left unbounded: an HTML part of '<', a DSN of folds, a huge header
        String html = "From: MAILER-DAEMON@x\r\nSubject: failure\r\nContent-Type: text/html\r\n\r\n"
                + "<".repeat(1_000_000) + "\r\n";
        String folds = "From: MAILER-DAEMON@x\r\nContent-Type: multipart/report; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\n"
                + "Diagnostic-Code: smtp; 550\r\n" + " x\r\n".repeat(300_000) + "--b--\r\n";
        String header = "From: MAILER-DAEMON@x\r\nX-Failed-Recipients: " + "a".repeat(1_000_000) + "\r\n\r\nx\r\n";
        start = System.nanoTime();
        for (String hostile : List.of(html, folds, header)) {
            assertThat(BounceParser.parse(hostile.getBytes(StandardCharsets.US_ASCII))).isNotNull();
        }
        assertThat(System.nanoTime() - start).as("hostile HTML, folds and header").isLessThan(5_000_000_000L);
    }
}
