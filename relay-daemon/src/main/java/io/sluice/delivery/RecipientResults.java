package io.sluice.delivery;

import io.sluice.scheduler.RecipientResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns a {@link TransactionResult} into the scheduler's {@link RecipientResult}s (docs/architecture.md "Retries and
 * health"): 2xx delivered; 5xx permanent and 4xx or connection trouble temporary, each with the reply's code, enhanced
 * status and text, marked local when Sluice made the reply up;
 * {@link RecipientStatus#UNKNOWN} (dot sent, no reply) temporary unless {@code assume_delivered_on_dot_timeout}
 * says delivered (at-least-once by default). Stateless.
 */
final class RecipientResults {
    private RecipientResults() {
    }

    static List<RecipientResult> from(TransactionResult tr, boolean assumeDeliveredOnDotTimeout) {
        int n = tr.recipients().size();
        List<RecipientResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(one(tr, i, assumeDeliveredOnDotTimeout));
        }
        return out;
    }

    static RecipientResult one(TransactionResult tr, int i, boolean assumeDeliveredOnDotTimeout) {
        SmtpReply reply = tr.reply(i);
        switch (tr.status(i)) {
            case DELIVERED:
                return reply == null ? RecipientResult.delivered()
                        : RecipientResult.delivered(reply.code(), reply.enhancedStatus(), reply.text());
            case PERMANENT:
                return RecipientResult.permanent(reply.code(), reply.enhancedStatus(), reply.text(), reply.isLocal());
            case UNKNOWN:
                return assumeDeliveredOnDotTimeout ? RecipientResult.delivered()
                        : RecipientResult.temporary(reply.code(), reply.enhancedStatus(), reply.text(), reply.isLocal());
            default:
                return RecipientResult.temporary(reply.code(), reply.enhancedStatus(), reply.text(), reply.isLocal());
        }
    }

    /** The same temporary result for every recipient of a task (nothing was sent). */
    static List<RecipientResult> allTemporary(int count, String text) {
        return Collections.nCopies(count, RecipientResult.temporary(0, text));
    }
}
