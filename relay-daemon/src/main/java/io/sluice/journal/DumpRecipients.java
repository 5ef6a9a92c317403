package io.sluice.journal;

import io.sluice.util.JsonText;
import java.time.Instant;

/**
 * What {@link JournalDump} knows about the recipients of one message from {@code state/}: the final outcome code
 * per recipient (0 = none yet) and, for recipients deferred since, the last DEFERRED's attempts, next due and
 * reply. A DEFERRED after a final outcome changes nothing; a later DEFERRED replaces an earlier one. The retry
 * arrays exist only once a recipient was deferred. Single-threaded (the dump's).
 */
final class DumpRecipients {
    private final byte[] codes;
    private int[] attempts;
    private long[] nextDue;
    private int[] replyCodes;
    private String[] replies;

    DumpRecipients(int recipients) {
        this.codes = new byte[recipients];
    }

    void outcome(int recipient, int code) {
        if (recipient < codes.length && codes[recipient] == 0) {
            codes[recipient] = (byte) code;
        }
    }

    void deferred(int recipient, int attemptsSoFar, long nextDueMillis, int replyCode, String reply) {
        if (recipient >= codes.length || codes[recipient] != 0) {
            return;
        }
        if (attempts == null) {
            attempts = new int[codes.length];
            nextDue = new long[codes.length];
            replyCodes = new int[codes.length];
            replies = new String[codes.length];
        }
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
            line.append('}');
        }
        line.append(']');
    }

    private boolean isDeferred(int recipient) {
        return attempts != null && recipient < codes.length && codes[recipient] == 0 && attempts[recipient] != 0;
    }
}
