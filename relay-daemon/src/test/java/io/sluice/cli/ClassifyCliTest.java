package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice classify} as an operator runs it: a reply line, a whole RFC 3464 bounce with two recipients, an
 * operator's override rule (tried before the shipped ones), a broken override file (named with its line and key,
 * exit 1), and a message that is not a bounce (exit 1, nothing on stdout).
 */
class ClassifyCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DSN = String.join("\r\n",
            "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>",
            "To: sender@example.org",
            "Subject: Undelivered Mail Returned to Sender",
            "MIME-Version: 1.0",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"",
            "",
            "--b1",
            "Content-Type: text/plain",
            "",
            "I'm sorry to have to inform you that your message could not be delivered.",
            "",
            "--b1",
            "Content-Type: message/delivery-status",
            "",
            "Reporting-MTA: dns; mx.example.net",
            "",
            "Final-Recipient: rfc822; gone@example.net",
            "Action: failed",
            "Status: 5.1.1",
            "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown",
            "",
            "Final-Recipient: rfc822; full@example.net",
            "Action: failed",
            "Status: 5.2.2",
            "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full",
            "",
            "--b1",
            "Content-Type: text/rfc822-headers",
            "",
            "Message-ID: <m1@example.org>",
            "From: sender@example.org",
            "To: gone@example.net, full@example.net",
            "",
            "--b1--",
            "");

    @TempDir
    Path dir;

    @Test
    void shouldClassifyAReplyLine() throws Exception {
        CliRun run = CliRun.sluice("classify", "-c", dir.resolve("none.yaml").toString().replace("none", "absent"),
                "--reply", "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown", "--command", "RCPT");
        // an explicit config that does not exist is an error, not a silent fallback
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("file not found");

        run = CliRun.sluice("classify", "--reply", "550 5.1.1 <a@example.com>: Recipient address rejected: "
                + "User unknown", "--command", "RCPT");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode o = JSON.readTree(run.out());
        assertThat(o.get("code").asInt()).isEqualTo(550);
        assertThat(o.get("status").asText()).isEqualTo("5.1.1");
        assertThat(o.get("reason").asText()).isEqualTo("userunknown");
        assertThat(o.get("hard").asBoolean()).isTrue();
        assertThat(o.get("rule").asText()).isEqualTo("user-unknown-rcpt");

        o = JSON.readTree(CliRun.sluice("classify", "--reply", "452 4.2.2 The email account that you tried to reach "
                + "is over quota").out());
        assertThat(o.get("reason").asText()).isEqualTo("mailboxfull");
        assertThat(o.get("hard").asBoolean()).isFalse();
    }

    @Test
    void shouldPrintOneJsonLinePerBouncedRecipient() throws Exception {
        Path message = dir.resolve("bounce.eml");
        Files.writeString(message, DSN, StandardCharsets.US_ASCII);
        CliRun run = CliRun.sluice("classify", "--message", message.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : run.out().strip().split("\n")) {
            lines.add(JSON.readTree(l));
        }
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("recipient").asText()).isEqualTo("gone@example.net");
        assertThat(lines.get(0).get("kind").asText()).isEqualTo("dsn");
        assertThat(lines.get(0).get("reason").asText()).isEqualTo("userunknown");
        assertThat(lines.get(0).get("hard").asBoolean()).isTrue();
        assertThat(lines.get(0).get("original_message_id").asText()).isEqualTo("<m1@example.org>");
        assertThat(lines.get(1).get("recipient").asText()).isEqualTo("full@example.net");
        assertThat(lines.get(1).get("reason").asText()).isEqualTo("mailboxfull");
        assertThat(lines.get(1).get("hard").asBoolean()).isFalse();
    }

    @Test
    void shouldTryTheOperatorsRulesFirst() throws Exception {
        Files.writeString(dir.resolve("my-rules.yaml"), """
                rules:
                  - name: provider-x-block-page
                    reason: blocked
                    text: ["see https://postmaster.provider-x.example/block"]
                """);
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, "bounces:\n  rules_overrides: my-rules.yaml\n");
        CliRun run = CliRun.sluice("classify", "-c", config.toString(), "--reply",
                "550 5.1.1 user unknown, see https://postmaster.provider-x.example/block");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode o = JSON.readTree(run.out());
        assertThat(o.get("reason").asText()).isEqualTo("blocked");
        assertThat(o.get("rule").asText()).isEqualTo("provider-x-block-page");
        assertThat(o.get("hard").asBoolean()).isFalse();
    }

    @Test
    void shouldNameTheFileLineAndKeyOfABadRule() throws Exception {
        Files.writeString(dir.resolve("my-rules.yaml"), """
                rules:
                  - name: typo
                    reason: userunknwon
                    status: 5.1
                """);
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, "bounces:\n  rules_overrides: my-rules.yaml\n");
        CliRun run = CliRun.sluice("classify", "-c", config.toString(), "--reply", "550 x");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("my-rules.yaml:3: rules[0].reason: unknown reason userunknwon")
                .contains("my-rules.yaml:4: rules[0].status: 5.1 is not an enhanced status");
    }

    @Test
    void shouldSayWhenAMessageIsNotABounce() throws Exception {
        Path message = dir.resolve("hello.eml");
        Files.writeString(message, "From: friend@example.org\r\nTo: me@example.net\r\nSubject: lunch?\r\n\r\n"
                + "See you at noon.\r\n");
        CliRun run = CliRun.sluice("classify", "--message", message.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("not a bounce");
    }
}
