package io.sluice.delivery;

import io.sluice.classify.Classification;
import io.sluice.classify.Classifier;
import io.sluice.classify.Reply;
import io.sluice.model.BounceReason;
import io.sluice.scheduler.RecipientResult;
import io.sluice.scheduler.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Gives every failed recipient of a finished task its bounce reason and hard flag ({@link Classifier},
 * conf/bounce-rules.yaml), here on the delivery stage's threads, so the classifier never runs on the scheduler
 * thread. A server's reply is classified with the command it answered ({@link TransactionResult#command}: "user
 * unknown" at RCPT is hard, after DATA a filter's). A failure with no reply at all (a refused or timed-out
 * connection, Sluice's own explanation) is {@code networkerror} ({@code failedstarttls} when it is about TLS); one
 * whose explanation quotes a server's refusal (a {@code 554} greeting, a refused EHLO) is classified as the
 * connection stage's reply. Deliveries are left alone. Stateless.
 */
final class FailureReasons {
    private FailureReasons() {
    }

    /** {@code result} with reasons; {@code transaction} is null when no transaction was attempted. */
    static TaskResult classify(TaskResult result, TransactionResult transaction, Classifier classifier) {
        List<RecipientResult> rs = result.recipients();
        List<RecipientResult> out = new ArrayList<>(rs.size());
        boolean changed = false;
        for (int i = 0; i < rs.size(); i++) {
            RecipientResult r = rs.get(i);
            if (r.kind() == RecipientResult.Kind.DELIVERED || r.reason() != BounceReason.UNDEFINED) {
                out.add(r);
                continue;
            }
            String command = r.code() == 0 || transaction == null || i >= transaction.recipients().size()
                    ? "CONNECT" : transaction.command(i);
            out.add(classify(r, command, classifier));
            changed = true;
        }
        return changed ? result.fired(out, result.fired()) : result;
    }

    private static RecipientResult classify(RecipientResult r, String command, Classifier classifier) {
        String text = r.text() == null ? "" : r.text();
        if (r.code() == 0 && !QUOTED_REPLY.matcher(text).find()) {
            // no server said anything: a refused or timed-out connection, DNS, Sluice's own trouble
            return r.classified(TLS.matcher(text).find() ? BounceReason.FAILED_STARTTLS : BounceReason.NETWORK_ERROR,
                    false);
        }
        Classification c = classifier.classify(new Reply(r.code(), r.enhancedStatus(), command, text, ""));
        if (r.code() == 0 && c.rule().equals(Classifier.FALLBACK)) {
            return r.classified(BounceReason.NETWORK_ERROR, false);
        }
        return r.classified(c.reason(), c.hard());
    }

    /** A server's reply quoted in Sluice's own explanation (a greeting refused with 554, an EHLO refused). */
    private static final Pattern QUOTED_REPLY = Pattern.compile("(?<![\\d.:])[45]\\d\\d[ -][ -~]");
    private static final Pattern TLS = Pattern.compile("(?i)\\btls\\b|starttls|handshake|certificate");
}
