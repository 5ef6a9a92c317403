package io.sluice.journal;

import io.sluice.model.BounceReason;

import io.sluice.util.JsonText;
import java.time.Instant;

/**
 * What {@link JournalDump} knows about the recipients of one message from {@code state/}: the final outcome code
 * per recipient (0 = none yet) and, for recipients deferred since, the last DEFERRED's attempts, next due and
 * reply, and the bounce reasons the records carry (OUTCOME version 2, DEFERRED version 3). A DEFERRED after a final
 * outcome changes nothing; a later DEFERRED replaces an earlier one. The retry
 * arrays exist only once a recipient was deferred. Also where the message's ACCEPTED record is now (QUEUED, then
 * RELOCATED), so the dump prints the current copy only. Single-threaded (the dump's).
 */
final class DumpRecipients {
    /** A final outcome whose OUTCOME record lies in a {@code state/} cycle retention deleted. */
    private static final byte FINAL_UNKNOWN = 0x7F;

    private final byte[] codes;
    /** The final outcome's bounce reason per recipient (its code + 1; 0 = not final or not known). */
    private final byte[] reasons;
    private long bodiesIndex;
    private int[] attempts;
    private long[] nextDue;
    private int[] replyCodes;
    private String[] replies;
    private BounceReason[] deferReasons;

    DumpRecipients(int recipients, long bodiesIndex) {
        this.codes = new byte[recipients];
        this.reasons = new byte[recipients];
        this.bodiesIndex = bodiesIndex;
    }

    /** Where the message's current ACCEPTED copy is. */
    long bodiesIndex() {
        return bodiesIndex;
    }

    void relocated(long newBodiesIndex) {
        bodiesIndex = newBodiesIndex;
    }

    /** Known only from a checkpoint: the recipient is final, but which outcome is no longer on disk. */
    void finalUnknown(int recipient) {
        outcome(recipient, FINAL_UNKNOWN);
    }

    void outcome(int recipient, int code) {
        if (recipient < codes.length && codes[recipient] == 0) {
            codes[recipient] = (byte) code;
        }
    }

    void outcome(int recipient, int code, BounceReason reason) {
        if (recipient < codes.length && codes[recipient] == 0) {
            codes[recipient] = (byte) code;
            reasons[recipient] = (byte) (reason.code() + 1);
        }
    }

    /** Appends {@code ,"reasons":[...]} (null where not final), if some final recipient has its reason on disk. */
    void appendReasons(StringBuilder line, int recipients) {
        boolean any = false;
        for (int i = 0; i < recipients && i < reasons.length && !any; i++) {
            any = reasons[i] != 0;
        }
        if (!any) {
            return;
        }
        line.append(",\"reasons\":[");
        for (int i = 0; i < recipients; i++) {
            line.append(i > 0 ? "," : "");
            if (i < reasons.length && reasons[i] != 0) {
                line.append('"').append(BounceReason.ofCode(reasons[i] - 1).label()).append('"');
            } else {
                line.append("null");
            }
        }
        line.append(']');
    }

    void deferred(int recipient, int attemptsSoFar, long nextDueMillis, int replyCode, String reply,
                  BounceReason reason) {
        if (recipient >= codes.length || codes[recipient] != 0) {
            return;
        }
        if (attempts == null) {
            attempts = new int[codes.length];
            nextDue = new long[codes.length];
            replyCodes = new int[codes.length];
            replies = new String[codes.length];
            deferReasons = new BounceReason[codes.length];
        }
        deferReasons[recipient] = reason;
        attempts[recipient] = attemptsSoFar;
        nextDue[recipient] = nextDueMillis;
        replyCodes[recipient] = replyCode;
        replies[recipient] = reply;
    }

    /** {@code pending}, {@code deferred}, or the final outcome's label. */
    String state(int recipient) {
        byte code = recipient < codes.length ? codes[recipient] : 0;
        if (code == 0) {
            return isDeferred(recipient) ? "deferred" : "pending";
        }
        if (code == FINAL_UNKNOWN) {
            return "final";
        }
        try {
            return OutcomeCode.fromCode(code).label();
        } catch (IllegalArgumentException e) {
            return "unknown-" + code;
        }
    }

    /** Appends {@code ,"retries":[...]} with one entry per recipient, if some recipient is deferred. */
    void appendRetries(StringBuilder line, int recipients) {
        boolean any = false;
        for (int i = 0; i < recipients && !any; i++) {
            any = isDeferred(i);
        }
        if (!any) {
            return;
        }
        line.append(",\"retries\":[");
        for (int i = 0; i < recipients; i++) {
            if (i > 0) {
                line.append(',');
            }
            if (!isDeferred(i)) {
                line.append("null");
                continue;
            }
            line.append("{\"attempts\":").append(attempts[i])
                .append(",\"nextDue\":\"").append(Instant.ofEpochMilli(nextDue[i])).append('"')
                .append(",\"replyCode\":").append(replyCodes[i])
                .append(",\"reply\":");
            JsonText.string(line, replies[i]);
            line.append(",\"reason\":\"").append(deferReasons[i].label()).append('"');
            line.append('}');
        }
        line.append(']');
    }

    private boolean isDeferred(int recipient) {
        return attempts != null && recipient < codes.length && codes[recipient] == 0 && attempts[recipient] != 0;
    }
}
