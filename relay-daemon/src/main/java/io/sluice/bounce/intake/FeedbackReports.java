package io.sluice.bounce.intake;

import io.sluice.bounce.intake.BounceReport.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an RFC 5965 (ARF) feedback report: the Feedback-Type, and the complaining recipient from Original-Rcpt-To
 * (or Removal-Recipient), else from the To of the returned original. Providers often redact that address; the report
 * then names nobody and can only be matched by the original's Message-ID or the VERP return path. Stateless.
 */
final class FeedbackReports {
    private static final Pattern TO = Pattern.compile("(?im)^to:\\s*(.+)$");

    private FeedbackReports() {
    }

    static BounceReport read(MessageParts parts, String originalHeaders, String messageId) {
        String type = "";
        List<String> addresses = new ArrayList<>();
        for (Map<String, String> g : DsnFields.groups(parts.feedbackReport)) {
            if (type.isEmpty()) {
                type = g.getOrDefault("feedback-type", "").trim().toLowerCase(Locale.ROOT);
            }
            for (String key : List.of("original-rcpt-to", "removal-recipient")) {
                for (String value : g.getOrDefault(key, "").split("\n")) {
                    String a = BounceParser.address(value);
                    if (!a.isEmpty() && !addresses.contains(a)) {
                        addresses.add(a);
                    }
                }
            }
        }
        if (addresses.isEmpty()) {
            Matcher to = TO.matcher(originalHeaders);
            if (to.find()) {
                Matcher a = TextBounceScanner.ADDRESS.matcher(to.group(1));
                while (a.find()) {
                    addresses.add(TextBounceScanner.clean(a.group()));
                }
            }
        }
        String text = DiagnosticText.collapse(String.join("\n", parts.notificationLines()));
        List<BouncedRecipient> out = new ArrayList<>();
        for (String a : addresses) {
            out.add(new BouncedRecipient(a, "", "", text, "", 0));
        }
        return new BounceReport(Kind.COMPLAINT, out, messageId, type.isEmpty() ? "abuse" : type, text);
    }
}
