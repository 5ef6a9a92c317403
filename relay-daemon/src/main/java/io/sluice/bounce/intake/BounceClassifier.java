package io.sluice.bounce.intake;

import io.sluice.classify.Classification;
import io.sluice.classify.Classifier;
import io.sluice.classify.Reply;
import io.sluice.model.BounceReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies every recipient of a {@link BounceReport}: a complaint is {@code feedback}, an auto-reply
 * {@code vacation}; a bounced recipient's diagnostic, status, failed command and DSN action go to the
 * {@link Classifier} (conf/bounce-rules.yaml). Pure; thread-safe when the classifier is (it is).
 */
public final class BounceClassifier {

    /** One recipient of a report and its verdict. */
    public record Verdict(BouncedRecipient recipient, Classification classification) {
    }

    private BounceClassifier() {
    }

    public static List<Verdict> classify(BounceReport report, Classifier classifier) {
        List<Verdict> out = new ArrayList<>();
        for (BouncedRecipient r : report.recipients()) {
            Classification c = classify(report.kind(), r, classifier);
            if (c.rule().equals(Classifier.FALLBACK) && !report.notice().isEmpty()) {
                // the recipient's own lines say nothing known; the notice as a whole may ("could not be delivered
                // because of 550 5.1.1 User unknown ... The following recipients were affected:")
                String notice = report.notice();
                Classification whole = classifier.classify(new Reply(
                        r.replyCode() != 0 ? r.replyCode() : Reply.parse(notice, "").code(),
                        r.status().isEmpty() ? Reply.statusIn(notice) : r.status(), r.command(), notice, r.action()));
                c = whole.rule().equals(Classifier.FALLBACK) ? c : whole;
            }
            out.add(new Verdict(r, c));
        }
        return out;
    }

    private static Classification classify(BounceReport.Kind kind, BouncedRecipient r, Classifier classifier) {
        switch (kind) {
            case COMPLAINT:
                return new Classification(BounceReason.FEEDBACK, false, "arf");
            case AUTO_REPLY:
                return new Classification(BounceReason.VACATION, false, "auto-reply");
            default:
                return classifier.classify(new Reply(r.replyCode(), r.status(), r.command(), r.diagnostic(),
                        r.action()));
        }
    }
}
