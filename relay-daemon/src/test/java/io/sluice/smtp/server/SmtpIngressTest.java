package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SmtpClient;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.StoredMessages.Stored;
import io.sluice.testing.TestDaemon;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon over real loopback sockets with a raw client: pipelining, dot-stuffing, smuggling, limits and
 * protocol errors. Stored bytes are read back from the journal after shutdown.
 */
class SmtpIngressTest {

    @TempDir
    Path dir;

    private static String body(String text) {
        return "From: a@client.test\r\nTo: b@dest.test\r\nSubject: t\r\nMessage-ID: <m1@client.test>\r\n"
                + "Date: Sun, 22 Nov 2026 08:00:00 +0000\r\n\r\n" + text;
    }

    /** The stored text minus our Received header (first header, three lines). */
    private static String withoutReceived(String stored) {
        assertThat(stored).startsWith("Received: from ");
        int end = stored.indexOf("\r\n", stored.indexOf("\r\n\tfor ") > 0 ? stored.indexOf("\r\n\tfor ") + 2
                : stored.indexOf("\r\n\tby ") + 2);
        return stored.substring(end + 2);
    }

    @Test
    void shouldAcceptWholeTransactionPipelinedInOneWriteAndStoreExactBytes() throws Exception {
        String text = body("line one\r\n..dot line\r\n.\r\nlast\r\n");
        String id;
        try (TestDaemon daemon = TestDaemon.in(dir).start(); SmtpClient c = daemon.connect()) {
            assertThat(c.reply()).startsWith("220 mx.sluice.test ESMTP");
            c.send("EHLO client.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n"
                    + text.replace("\r\n.", "\r\n..") + ".\r\nQUIT\r\n");
            List<String> replies = c.replies(6);
            assertThat(replies.get(0)).startsWith("250-mx.sluice.test").contains("250-PIPELINING", "250-SIZE 20971520",
                    "250-8BITMIME", "250-ENHANCEDSTATUSCODES", "250 SMTPUTF8");
            assertThat(replies.subList(1, 4)).containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok",
                    "354 End data with <CR><LF>.<CR><LF>");
            assertThat(replies.get(4)).matches("250 2\\.0\\.0 Ok: queued as [0-9a-f]{16}");
            assertThat(replies.get(5)).isEqualTo("221 2.0.0 Bye");
            id = replies.get(4).substring(replies.get(4).length() - 16);
        }
        List<Stored> stored = StoredMessages.read(dir.resolve("journal"));
        assertThat(stored).hasSize(1);
        Stored message = stored.get(0);
        assertThat(message.id()).isEqualTo(id);
        // Delivery events may follow (this test's DNS answers nothing, so a deferred one); only received is ours.
        assertThat(java.nio.file.Files.readAllLines(dir.resolve("events").resolve("events.jsonl")).stream()
                .filter(l -> l.startsWith("{\"type\":\"received\"")).toList())
                .as("one received event in the JSON log").singleElement().asString()
                .startsWith("{\"type\":\"received\",\"time\":\"")
                .contains("\"id\":\"" + id + "\",\"listener\":\"default\",\"client\":\"127.0.0.1\"",
                        "\"sender\":\"a@client.test\",\"recipients\":[\"b@dest.test\"],\"size\":"
                                + message.bytes().length + "}");
        assertThat(message.sender()).isEqualTo("a@client.test");
        assertThat(message.recipients()).containsExactly("b@dest.test");
        assertThat(message.text()).startsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.sluice.test (Sluice)"
                + " with ESMTP id " + id + "\r\n\tfor <b@dest.test>; ");
        assertThat(withoutReceived(message.text())).isEqualTo(text);
    }

    @Test
    void shouldAddMessageIdAndDateAndStripSluiceHeaders() throws Exception {
        String text = "From: a@client.test\r\nX-Sluice-Pool: bulk\r\nX-Sluice-Stream: news\r\n letters\r\n"
                + "Subject: s\r\n\r\nbody\r\nX-Sluice-Pool: stays in body\r\n";
        try (TestDaemon daemon = TestDaemon.in(dir).start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<b@dest.test>\r\nRCPT TO:<c@dest.test>\r\nDATA\r\n" + text
                    + ".\r\n");
            assertThat(c.replies(6).get(5)).startsWith("250 2.0.0 Ok: queued as ");
        }
        Stored message = StoredMessages.read(dir.resolve("journal")).get(0);
        assertThat(message.sender()).isEmpty();
        assertThat(message.routingTags()).as("trusted client's tags are kept").isEqualTo("pool=bulk\nstream=news letters");
        String stored = message.text();
        assertThat(stored).doesNotContain("\tfor <").contains("Message-ID: <" + message.id() + "@mx.sluice.test>\r\n")
                .containsPattern("\r\nDate: [A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d ");
        assertThat(stored.substring(stored.indexOf("From: "))).isEqualTo(
                "From: a@client.test\r\nSubject: s\r\n\r\nbody\r\nX-Sluice-Pool: stays in body\r\n");
    }

    @Test
    void shouldTakeAndStripSluiceHeadersWrittenWithSpaceBeforeTheColon() throws Exception {
        String text = "From: a@client.test\r\nX-Sluice-Space : e\r\nX-Sluice-Pool\t: bulk\r\nSubject: s\r\n"
                + "X-Sluice-Stream  :  news\r\n\r\nbody\r\n";
        try (TestDaemon daemon = TestDaemon.in(dir).start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n" + text + ".\r\n");
            assertThat(c.replies(5).get(4)).startsWith("250 2.0.0 Ok: queued as ");
        }
        Stored message = StoredMessages.read(dir.resolve("journal")).get(0);
        assertThat(message.routingTags()).as("obs-syntax field names (RFC 5322 4.5.8) are the same fields")
                .isEqualTo("space=e\npool=bulk\nstream=news");
        String stored = message.text();
        assertThat(stored).doesNotContainIgnoringCase("x-sluice");
        assertThat(stored.substring(stored.indexOf("From: ")))
                .isEqualTo("From: a@client.test\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void shouldNeverSplitMessageAtSmugglingSequences() throws Exception {
        List<String> variants = List.of("\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\r.\r");
        try (TestDaemon daemon = TestDaemon.in(dir).start(); SmtpClient c = daemon.connect()) {
            c.reply();
            assertThat(c.command("EHLO c")).startsWith("250");
            for (String variant : variants) {
                c.send("MAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
                assertThat(c.replies(3)).last().asString().startsWith("354");
                c.send("Subject: x\r\n\r\nhello" + variant
                        + "MAIL FROM:<evil@attacker.test>\r\nRCPT TO:<victim@dest.test>\r\nDATA\r\nsmuggled\r\n.\r\n");
                assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
            }
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        List<Stored> stored = StoredMessages.read(dir.resolve("journal"));
        assertThat(stored).hasSize(variants.size());
        assertThat(stored).allSatisfy(m -> {
            assertThat(m.sender()).isEqualTo("a@client.test");
            assertThat(m.recipients()).containsExactly("b@dest.test");
            assertThat(m.text()).contains("MAIL FROM:<evil@attacker.test>");
        });
    }

    @Test
    void shouldRejectBareLfInDataWhenConfiguredToReject() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("bare_lf: reject").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
            c.replies(4);
            c.send("Subject: x\r\n\r\nbare\nlf\r\n.\r\n");
            assertThat(c.reply()).isEqualTo("550 5.6.0 Error: bare <CR> or <LF> in message text");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).isEmpty();
    }

    @Test
    void shouldRejectBadCommandLines() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_errors: 50").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("NOOP\n");
            assertThat(c.reply()).isEqualTo("500 5.5.2 Error: bare <CR> or <LF> received");
            c.send("NO\0OP\r\n");
            assertThat(c.reply()).isEqualTo("500 5.5.2 Error: NUL character received");
            assertThat(c.command("NOOP " + "x".repeat(600))).isEqualTo("500 5.5.2 Error: command line too long");
            assertThat(c.command("FROB")).isEqualTo("500 5.5.2 Error: command not recognized");
            assertThat(c.command("EXPN list")).isEqualTo("502 5.5.1 Error: command not implemented");
            assertThat(c.command("MAIL FROM:<a@b.test>")).isEqualTo("503 5.5.1 Error: send HELO/EHLO first");
            assertThat(c.command("HELO")).isEqualTo("501 5.5.4 Syntax: EHLO hostname");
            assertThat(c.command("HELO c")).isEqualTo("250 mx.sluice.test");
            assertThat(c.command("RCPT TO:<b@dest.test>")).isEqualTo("503 5.5.1 Error: need MAIL command");
            assertThat(c.command("DATA")).isEqualTo("503 5.5.1 Error: need MAIL command");
            assertThat(c.command("MAIL FROM:a@b.test")).isEqualTo("501 5.5.4 Syntax: MAIL FROM:<address>");
            assertThat(c.command("MAIL FROM:<a@b.test> FOO=1")).isEqualTo("555 5.5.4 Unsupported option: FOO=1");
            assertThat(c.command("MAIL FROM:<a@b.test>")).isEqualTo("250 2.1.0 Ok");
            assertThat(c.command("MAIL FROM:<a@b.test>")).isEqualTo("503 5.5.1 Error: nested MAIL command");
            assertThat(c.command("DATA")).isEqualTo("554 5.5.1 Error: no valid recipients");
            assertThat(c.command("VRFY x")).startsWith("252 2.0.0");
            assertThat(c.command("HELP")).as("a plain listener without AUTH offers neither STARTTLS nor AUTH")
                    .isEqualTo("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP");
            assertThat(c.command("RSET")).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void shouldCloseWith421AfterTooManyErrors() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_errors: 3").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            assertThat(c.command("BAD1")).startsWith("500");
            assertThat(c.command("BAD2")).startsWith("500");
            assertThat(c.command("BAD3")).isEqualTo("421 4.7.0 Error: too many errors");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void shouldRefuseOversizeMessagesAtMailAndInData() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_message_size: 2KiB\nmax_inflight_data_bytes: 1MiB")
                .start(); SmtpClient c = daemon.connect()) {
            c.reply();
            assertThat(c.command("EHLO c")).contains("250-SIZE 2048");
            assertThat(c.command("MAIL FROM:<a@client.test> SIZE=4096"))
                    .isEqualTo("552 5.3.4 Error: message size exceeds fixed limit");
            c.send("MAIL FROM:<a@client.test> SIZE=1000\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
            assertThat(c.replies(3)).last().asString().startsWith("354");
            c.send("Subject: big\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(60) + ".\r\n");
            assertThat(c.reply()).isEqualTo("552 5.3.4 Error: message file too big");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).isEmpty();
    }

    @Test
    void shouldStoreMessageOfTheLargestAllowedSize() throws Exception {
        // Chronicle's per-record limit depends on the block size; the largest message must fit.
        String line = "x".repeat(998) + "\r\n";
        String head = "Subject: big\r\nMessage-ID: <big@client.test>\r\nDate: Sun, 22 Nov 2026 08:00:00 +0000\r\n\r\n";
        int lines = (int) ((20L * 1024 * 1024 - head.length()) / line.length());
        StringBuilder text = new StringBuilder(head.length() + lines * line.length());
        text.append(head);
        for (int i = 0; i < lines; i++) {
            text.append(line);
        }
        try (TestDaemon daemon = TestDaemon.in(dir).start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test> SIZE=" + text.length() + "\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
            assertThat(c.replies(4)).last().asString().startsWith("354");
            c.send(text.append(".\r\n").toString());
            assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
        }
        Stored stored = StoredMessages.read(dir.resolve("journal")).get(0);
        String storedText = stored.text();
        assertThat(storedText.length() - storedText.indexOf("Subject: big")).isEqualTo(text.length() - 3);
        assertThat(text.length() - 3).isGreaterThan(20 * 1024 * 1024 - 1000).isLessThanOrEqualTo(20 * 1024 * 1024);
    }

    @Test
    void shouldRefuseOverlongTextLine() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
            c.replies(4);
            c.send("Subject: x\r\n\r\n" + "y".repeat(1200) + "\r\n.\r\n");
            assertThat(c.reply()).as("names the limit, the key that sets it and the way out").isEqualTo(
                    "554 5.6.0 Error: message has a line longer than 998 octets (smtp.max_text_line, RFC 5321"
                    + " 4.5.3.1.6); wrap it or use quoted-printable/base64, or set smtp.long_lines: accept");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void shouldStoreLongLinesAsSentWithLongLinesAcceptUpToTheHardCap() throws Exception {
        String longLine = "y".repeat(5000);
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("long_lines: accept").start();
             SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
            c.replies(4);
            c.send("Subject: long\r\n\r\n" + longLine + "\r\n.\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");

            c.send("MAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
            c.replies(3);
            c.send("Subject: huge\r\n\r\n" + "z".repeat(1024 * 1024) + "\r\n.\r\n");
            assertThat(c.reply()).isEqualTo("554 5.6.0 Error: message has a line longer than 1048574 octets, the hard"
                    + " cap with smtp.long_lines: accept");
        }
        List<Stored> stored = StoredMessages.read(dir.resolve("journal"));
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).text()).as("stored as sent, not wrapped").endsWith("Subject: long\r\n\r\n"
                + longLine + "\r\n");
    }

    @Test
    void shouldCapRecipientsPerMessage() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_recipients: 3").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\n");
            c.replies(2);
            for (int i = 0; i < 3; i++) {
                assertThat(c.command("RCPT TO:<r" + i + "@dest.test>")).isEqualTo("250 2.1.5 Ok");
            }
            assertThat(c.command("RCPT TO:<r4@dest.test>")).isEqualTo("452 4.5.3 Error: too many recipients");
            assertThat(c.command("DATA")).startsWith("354");
            c.send("Subject: x\r\n\r\nhi\r\n.\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
        }
        assertThat(StoredMessages.read(dir.resolve("journal")).get(0).recipients()).hasSize(3);
    }

    @Test
    void shouldDenyRelayFromAddressOutsideRelayNetworks() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).listener("relay_networks: [127.0.0.1/32]").start();
                SmtpClient outsider = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.0.2");
                SmtpClient insider = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.0.1")) {
            outsider.reply();
            outsider.send("EHLO outsider\r\nMAIL FROM:<spam@outside.test>\r\n");
            outsider.replies(2);
            assertThat(outsider.command("RCPT TO:<victim@dest.test>"))
                    .isEqualTo("554 5.7.1 <victim@dest.test>: Relay access denied");
            assertThat(outsider.command("DATA")).isEqualTo("554 5.5.1 Error: no valid recipients");
            insider.reply();
            insider.send("EHLO insider\r\nMAIL FROM:<app@inside.test>\r\n");
            insider.replies(2);
            assertThat(insider.command("RCPT TO:<user@dest.test>")).isEqualTo("250 2.1.5 Ok");
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).isEmpty();
    }

    @Test
    void shouldRefuseLoopingMessageAtHopLimit() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("hop_limit: 5").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
            c.replies(4);
            c.send("Received: from x by y; now\r\n".repeat(5) + "Subject: loop\r\n\r\nhi\r\n.\r\n");
            assertThat(c.reply()).isEqualTo("554 5.4.6 Error: too many hops");
            c.send("MAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n");
            c.replies(3);
            c.send("Received: from x by y; now\r\n".repeat(4) + "Subject: fine\r\n\r\nhi\r\n.\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
        }
    }

    @Test
    void shouldApplyHardBackPressureAtMailAndRcpt() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).queue("max_pending_recipients: 2").smtp("max_soft_delay: 0s")
                .start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nRCPT TO:<c@dest.test>\r\n");
            assertThat(c.replies(4)).last().isEqualTo("250 2.1.5 Ok");
            assertThat(c.command("RCPT TO:<d@dest.test>")).isEqualTo("452 4.3.1 Insufficient system storage");
            c.send("DATA\r\nSubject: x\r\n\r\nhi\r\n.\r\n");
            assertThat(c.replies(2).get(1)).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.command("MAIL FROM:<a@client.test>")).isEqualTo("452 4.3.1 Insufficient system storage");
        }
    }

    @Test
    void shouldTimeOutSilentClient() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("command_timeout: 1s").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            long start = System.nanoTime();
            assertThat(c.reply()).isEqualTo("421 4.4.2 Error: timeout exceeded");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(700L, 5000L);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void shouldCapConnectionsOverAllClients() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_connections: 2\nmax_connections_per_ip: 2").start();
                SmtpClient first = daemon.connect();
                SmtpClient second = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.0.2")) {
            assertThat(first.reply()).startsWith("220");
            assertThat(second.reply()).startsWith("220");
            try (SmtpClient third = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.0.3")) {
                assertThat(third.reply()).isEqualTo("421 4.7.0 Error: too many connections");
            }
            first.command("QUIT");
            assertThat(first.isClosedByServer()).isTrue();
            Thread.sleep(200);
            try (SmtpClient fourth = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.0.4")) {
                assertThat(fourth.reply()).as("a slot is free again").startsWith("220");
            }
        }
    }

    @Test
    void shouldTimeOutClientSilentInsideData() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("data_timeout: 1s").start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\nSubject: half\r\n");
            assertThat(c.replies(4)).last().asString().startsWith("354");
            assertThat(c.reply()).isEqualTo("421 4.4.2 Error: timeout exceeded");
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).isEmpty();
    }

    @Test
    void shouldDelayMailReplyAsSoftBackPressure() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).queue("max_pending_recipients: 4").smtp("max_soft_delay: 800ms")
                .start(); SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO c");
            long quick = timedMail(c);
            for (int i = 0; i < 3; i++) {
                c.send("RCPT TO:<r" + i + "@dest.test>\r\n");
                c.reply();
            }
            c.send("DATA\r\nSubject: x\r\n\r\nhi\r\n.\r\n");
            assertThat(c.replies(2).get(1)).startsWith("250 2.0.0");
            long delayed = timedMail(c);
            assertThat(quick).as("below half the limit: no delay").isLessThan(300);
            assertThat(delayed).as("3 of 4 pending: about half of max_soft_delay").isBetween(250L, 2000L);
        }
    }

    private static long timedMail(SmtpClient c) throws Exception {
        long start = System.nanoTime();
        assertThat(c.command("MAIL FROM:<a@client.test>")).isEqualTo("250 2.1.0 Ok");
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void shouldCapConnectionsPerClientAddress() throws Exception {
        try (TestDaemon daemon = TestDaemon.in(dir).smtp("max_connections_per_ip: 2").start();
                SmtpClient first = daemon.connect(); SmtpClient second = daemon.connect();
                SmtpClient third = daemon.connect();
                SmtpClient other = new SmtpClient("127.0.0.1", daemon.smtpPort(), "127.0.0.3")) {
            assertThat(first.reply()).startsWith("220");
            assertThat(second.reply()).startsWith("220");
            assertThat(third.reply()).isEqualTo("421 4.7.0 Error: too many connections from your address");
            assertThat(other.reply()).startsWith("220");
        }
    }

    @Test
    void shouldAnswer421ToIdleSessionsAndFinishDataInProgressOnShutdown() throws Exception {
        TestDaemon daemon = TestDaemon.in(dir).start();
        try (SmtpClient idle = daemon.connect(); SmtpClient busy = daemon.connect()) {
            idle.reply();
            busy.reply();
            busy.send("EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\nSubject: x\r\n\r\n");
            assertThat(busy.replies(4)).last().asString().startsWith("354");
            Thread stopper = new Thread(daemon::close);
            stopper.start();
            assertThat(idle.reply()).isEqualTo("421 4.3.2 Service shutting down, closing transmission channel");
            busy.send("still writing\r\n.\r\n");
            assertThat(busy.reply()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(busy.reply()).isEqualTo("421 4.3.2 Service shutting down, closing transmission channel");
            stopper.join(20_000);
            assertThat(stopper.isAlive()).isFalse();
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).hasSize(1);
    }
}
