package io.sluice.bounce.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sluice.bounce.intake.BounceReport.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an Amazon SES event notification forwarded by email (SNS): the JSON object with {@code notificationType}
 * Bounce, Complaint or Delivery, as SES documents it (docs.aws.amazon.com/ses, "Amazon SNS notification contents").
 * Senders that relay through SES forward these to their bounce address. Stateless; a body that is not such an
 * object gives null.
 */
final class SesNotifications {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

    private SesNotifications() {
    }

    /** The report, or null when {@code body} is not an SES notification. */
    static BounceReport read(String body) {
        String t = body.trim();
        if (!t.startsWith("{") || !t.contains("notificationType")) {
            return null;
        }
        JsonNode n;
        try (JsonParser p = JSON.createParser(t)) {
            n = JSON.readTree(p); // the first object; SNS appends a plain-text footer after it
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (n != null && n.path("Type").asText("").equals("Notification") && n.path("Message").isTextual()) {
            try (JsonParser p = JSON.createParser(n.path("Message").asText())) {
                n = JSON.readTree(p); // the SNS envelope around the SES notification, as delivered by HTTP/JSON
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        if (n == null) {
            return null;
        }
        String messageId = messageId(n.path("mail"));
        List<BouncedRecipient> out = new ArrayList<>();
        switch (n.path("notificationType").asText("").toLowerCase(Locale.ROOT)) {
            case "bounce":
                for (JsonNode r : n.path("bounce").path("bouncedRecipients")) {
                    String diagnostic = DiagnosticText.collapse(r.path("diagnosticCode").asText(""));
                    out.add(new BouncedRecipient(address(r.path("emailAddress").asText("")),
                            r.path("action").asText("failed").toLowerCase(Locale.ROOT),
                            r.path("status").asText(""), diagnostic, DiagnosticText.command(diagnostic),
                            DiagnosticText.replyCode(diagnostic)));
                }
                return new BounceReport(Kind.DSN, out, messageId, "", "");
            case "complaint":
                for (JsonNode r : n.path("complaint").path("complainedRecipients")) {
                    out.add(new BouncedRecipient(address(r.path("emailAddress").asText("")), "", "", "", "", 0));
                }
                String type = n.path("complaint").path("complaintFeedbackType").asText("abuse");
                return new BounceReport(Kind.COMPLAINT, out, messageId, type.toLowerCase(Locale.ROOT), "");
            case "delivery":
                String response = n.path("delivery").path("smtpResponse").asText("");
                for (JsonNode r : n.path("delivery").path("recipients")) {
                    out.add(new BouncedRecipient(address(r.asText("")), "delivered", "2.0.0",
                            DiagnosticText.collapse(response), "", DiagnosticText.replyCode(response)));
                }
                return new BounceReport(Kind.DSN, out, messageId, "", "");
            default:
                return null;
        }
    }

    private static String messageId(JsonNode mail) {
        for (JsonNode h : mail.path("headers")) {
            if (h.path("name").asText("").equalsIgnoreCase("Message-ID")) {
                return h.path("value").asText("").trim();
            }
        }
        return "";
    }

    private static String address(String raw) {
        java.util.regex.Matcher m = TextBounceScanner.ADDRESS.matcher(raw);
        return m.find() ? TextBounceScanner.clean(m.group()) : raw.trim().toLowerCase(Locale.ROOT);
    }
}
