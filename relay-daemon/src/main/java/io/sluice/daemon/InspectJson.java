package io.sluice.daemon;

import io.sluice.journal.AcceptedRecord;
import io.sluice.journal.DeferredReplyLookup;
import io.sluice.journal.MessageIds;
import io.sluice.journal.OutcomeCode;
import io.sluice.journal.OutcomeLookup;
import io.sluice.journal.PendingView;
import io.sluice.routing.EgressPath;
import io.sluice.routing.PoolPath;
import io.sluice.routing.Route;
import io.sluice.routing.Router;
import io.sluice.routing.SmarthostPath;
import io.sluice.util.JsonText;
import java.util.Map;

/**
 * The admin API's {@code inspect} document, from the journal writer's {@link PendingView} and the message's
 * stored ACCEPTED record:
 * <pre>
 * {"id": "0186a3f2c4500001", "received_millis": T, "age_seconds": N, "size_bytes": N|null,
 *  "sender": "...", "client_address": "...", "helo": "...", "listener": "...", "auth_identity": "..."|null,
 *  "pending_recipients": N,
 *  "recipients": [{"index": 0, "address": "...",
 *                  "state": "pending"|"deferred"|"delivered"|"bounced"|"expired"|"suppressed"|"final",
 *                  "attempts": N, "next_due_millis": T|-1, "next_due_in_seconds": N|-1,
 *                  "last_reply": {"code": N|null, "text": "..."}|null}]}
 * </pre>
 * {@code last_reply} is a deferred recipient's last temporary failure from its newest DEFERRED record
 * ({@link DeferredReplyLookup}): the remote reply, or Sluice's own reason with code null (connection trouble,
 * DNS); null when the recipient is not deferred or the bounded search did not reach its record.
 * A final recipient's state is its OUTCOME as {@link OutcomeLookup} found it in {@code state/}; {@code final} when
 * the bounded search did not reach it (the event log has it). Envelope fields are null when the ACCEPTED record could not
 * be read (it completed meanwhile). Stateless.
 */
final class InspectJson {
    private InspectJson() {
    }

    /**
     * @param accepted the message's ACCEPTED record, or null when it could not be read
     * @param finals      recipient index to final outcome, for the final recipients whose OUTCOME was found
     * @param lastReplies recipient index to last temporary failure, for the deferred recipients whose DEFERRED was
     *                    found
     */
    static String render(PendingView view, AcceptedRecord accepted, Map<Integer, OutcomeCode> finals,
                         Map<Integer, DeferredReplyLookup.LastReply> lastReplies, Router router, long nowMillis) {
        StringBuilder out = new StringBuilder(512);
        out.append("{\"id\":\"").append(MessageIds.format(view.id())).append('"')
                .append(",\"received_millis\":").append(view.receivedAtMillis())
                .append(",\"age_seconds\":").append(Math.max(0, nowMillis - view.receivedAtMillis()) / 1_000)
                .append(",\"size_bytes\":").append(accepted == null ? "null" : accepted.bodyLength())
                .append(",\"sender\":");
        JsonText.string(out, accepted == null ? null : accepted.sender()).append(",\"client_address\":");
        JsonText.string(out, accepted == null ? null : accepted.clientAddress()).append(",\"helo\":");
        JsonText.string(out, accepted == null ? null : accepted.heloName()).append(",\"listener\":");
        JsonText.string(out, accepted == null ? null : accepted.listener()).append(",\"auth_identity\":");
        JsonText.string(out, accepted == null ? null : accepted.authIdentity()).append(",\"stream\":");
        JsonText.string(out, view.routeInputs().stream().isEmpty() ? null : view.routeInputs().stream());
        long pending = view.recipients().stream().filter(PendingView.Recipient::pending).count();
        out.append(",\"pending_recipients\":").append(pending).append(",\"recipients\":[");
        for (int i = 0; i < view.recipients().size(); i++) {
            PendingView.Recipient r = view.recipients().get(i);
            OutcomeCode outcome = finals.get(i);
            String state = r.pending() ? (r.attempts() > 0 ? "deferred" : "pending")
                    : outcome != null ? outcome.label() : "final";
            long due = r.pending() && r.attempts() > 0 ? r.nextDueMillis() : -1;
            out.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"address\":");
            JsonText.string(out, r.address());
            Route route = router.route(view.routeInputs(), domainOf(r.address()));
            out.append(",\"route\":");
            JsonText.string(out, route.name()).append(",\"lane\":");
            JsonText.string(out, route.lane().name()).append(",\"path\":");
            JsonText.string(out, describe(route.path()));
            out.append(",\"state\":\"").append(state).append('"')
                    .append(",\"attempts\":").append(r.attempts())
                    .append(",\"next_due_millis\":").append(due)
                    .append(",\"next_due_in_seconds\":").append(due < 0 ? -1 : Math.max(0, due - nowMillis) / 1_000)
                    .append(",\"last_reply\":");
            DeferredReplyLookup.LastReply last = r.pending() ? lastReplies.get(i) : null;
            if (last == null) {
                out.append("null");
            } else {
                out.append("{\"code\":").append(last.code() > 0 ? Integer.toString(last.code()) : "null")
                        .append(",\"text\":");
                JsonText.string(out, last.text()).append('}');
            }
            out.append('}');
        }
        return out.append("]}").toString();
    }

    /** The recipient's domain as routes compare it: after the last {@code @}, lower case. */
    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code pool NAME} or {@code smarthosts A,B (pool NAME)}, as the route would send under the current config. */
    static String describe(EgressPath path) {
        if (path instanceof PoolPath p) {
            return "pool " + p.pool().name();
        }
        SmarthostPath s = (SmarthostPath) path;
        StringBuilder sb = new StringBuilder("smarthosts ");
        for (int i = 0; i < s.smarthosts().size(); i++) {
            sb.append(i > 0 ? "," : "").append(s.smarthosts().get(i).name());
        }
        return s.bindPool() == null ? sb.toString() : sb.append(" (pool ").append(s.bindPool().name()).append(')')
                .toString();
    }
}
