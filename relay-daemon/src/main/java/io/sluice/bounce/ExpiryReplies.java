package io.sluice.bounce;

import io.sluice.journal.DeferredReplyLookup;
import io.sluice.journal.DeferredReplyLookup.LastReply;
import io.sluice.journal.Journal;
import io.sluice.scheduler.GivenUp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives expiries the last failure the scheduler no longer knows: after a restart it keeps only each recipient's
 * retry schedule, so an expiry DSN would say only "max_age reached". The journal's newest DEFERRED record of each
 * such recipient has the reply code, text and (record version 2) the MX host; one backward walk of {@code state/}
 * serves every expiry of a drain ({@link DeferredReplyLookup#findMany}, at most {@link #MAX_RECORDS} records).
 * A recipient whose record is not found keeps the plain expiry.
 *
 * <p>DSN thread only (the walk may touch cold pages). Allocates per call; expiries are not a hot path.
 */
final class ExpiryReplies {
    /** Most {@code state/} records one walk reads (about a second of reading at worst). */
    static final int MAX_RECORDS = 2_000_000;
    private static final Pattern STATUS = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$)");

    private final Journal journal;

    ExpiryReplies(Journal journal) {
        this.journal = journal;
    }

    /** Replaces, in place, each expiry in {@code groups} whose last reply is unknown by one with the journal's. */
    void fill(Map<Long, List<GivenUp>> groups) {
        Map<Long, Set<Integer>> wanted = new HashMap<>();
        for (List<GivenUp> group : groups.values()) {
            for (GivenUp g : group) {
                if (g.lastReplyUnknown()) {
                    wanted.computeIfAbsent(g.messageId(), id -> new HashSet<>()).add(g.recipientIndex());
                }
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        Map<Long, Map<Integer, LastReply>> found = DeferredReplyLookup.findMany(journal, wanted, MAX_RECORDS);
        for (List<GivenUp> group : groups.values()) {
            for (int i = 0; i < group.size(); i++) {
                GivenUp g = group.get(i);
                LastReply last = g.lastReplyUnknown()
                        ? found.getOrDefault(g.messageId(), Map.of()).get(g.recipientIndex()) : null;
                if (last != null && (last.code() > 0 || !last.text().isEmpty())) {
                    group.set(i, g.withLastReply(last.code(), status(last.text()), last.text(), last.mxHost()));
                }
            }
        }
    }

    /** The RFC 3463 status a reply text starts with ({@code 4.7.1 try later}), or null. */
    static String status(String text) {
        Matcher m = STATUS.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
