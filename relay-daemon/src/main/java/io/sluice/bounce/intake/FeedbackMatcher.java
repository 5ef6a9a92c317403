package io.sluice.bounce.intake;

import io.sluice.model.VerpCodec;
import io.sluice.classify.Classifier;
import io.sluice.events.EventPublisher;
import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.journal.MessageIds;
import io.sluice.metrics.BounceMetrics;
import io.sluice.metrics.FeedbackMetrics;
import io.sluice.model.BounceReason;
import io.sluice.suppression.SuppressionEntry;
import io.sluice.suppression.SuppressionList;
import io.sluice.suppression.SuppressionScope;
import io.sluice.suppression.SuppressionSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what one message at the feedback listener means and acts on it (docs/BOUNCES.md "Feedback intake").
 *
 * <p>Matching, in this order: (1) VERP tokens in the envelope recipients ({@code b+<token>@<feedback domain>}).
 * (2) Without a token in the envelope (a complaint sent to the feedback address), a VERP return path quoted in the
 * report (the original's {@code Return-Path}, ARF's {@code Original-Mail-From}). A token names (message, ordinal) and
 * is {@link VerpCodec#verify verified} for the address it was sent to: the {@link FeedbackIndex}'s record (which also
 * gives the sender), or, when the index has none, an address the report names. One that has not the form of a token,
 * or verifies for none of the addresses it could be checked against, is forged and the message dropped
 * ({@code forged}); with nothing to check against it is {@code unmatched}. (3) Without any token, the original's
 * Message-ID through the index.
 *
 * <p>Actions: a failed recipient of a DSN or text bounce matched to a sent recipient is an {@code async_bounce}
 * event with its classification ({@link BounceClassifier}); a hard one puts the address on the suppression list
 * (scope global, source {@code async-bounce}). A complaint (ARF) matched to a sent recipient is a {@code complaint}
 * event and a suppression entry for the sender's domain (scope sender-domain, source {@code complaint}, reason
 * {@code feedback}; global when the sender is not known). Delay notices, auto-replies and anything else are
 * {@code ignored}. Each message counts once in {@link FeedbackMetrics}.
 *
 * <p>Threading: the intake thread only. {@link #take} returns once the suppression entries are durable; an
 * {@link IOException} means they are not (the caller answers a temporary failure).
 */
public final class FeedbackMatcher {
    private static final Pattern QUOTED_VERP = Pattern.compile("(?i)(?<![A-Za-z0-9.+_-])(b\\+[a-z2-7]{"
            + VerpCodec.TOKEN_CHARS + "})@([a-z0-9.-]+)");

    private final VerpCodec verp;
    private final VerpCodec unsubscribeMail;
    private final io.sluice.web.UnsubscribeRequests unsubscribes;
    private final FeedbackIndex index;
    private final Supplier<Classifier> classifier;
    private final Supplier<List<String>> feedbackDomains;
    private final SuppressionList suppression;
    private final EventPublisher events;
    private final FeedbackMetrics metrics;
    private final BounceMetrics bounceMetrics;

    /**
     * @param feedbackDomains the domains the feedback listener takes mail for (current settings), lower case
     * @param suppression     where entries go; null: none are made (a daemon without a suppression list)
     */
    public FeedbackMatcher(VerpCodec verp, FeedbackIndex index, Supplier<Classifier> classifier,
                           Supplier<List<String>> feedbackDomains, SuppressionList suppression,
                           EventPublisher events, FeedbackMetrics metrics, BounceMetrics bounceMetrics) {
        this(verp, null, null, index, classifier, feedbackDomains, suppression, events, metrics, bounceMetrics);
    }

    /**
     * As above, also taking mail to one-click unsubscribe addresses ({@code u+<token>}, {@code unsubscribeMail})
     * and unsubscribing their recipient through {@code unsubscribes}.
     */
    public FeedbackMatcher(VerpCodec verp, VerpCodec unsubscribeMail, io.sluice.web.UnsubscribeRequests unsubscribes,
                           FeedbackIndex index, Supplier<Classifier> classifier,
                           Supplier<List<String>> feedbackDomains, SuppressionList suppression,
                           EventPublisher events, FeedbackMetrics metrics, BounceMetrics bounceMetrics) {
        this.verp = verp;
        this.unsubscribeMail = unsubscribeMail;
        this.unsubscribes = unsubscribes;
        this.index = index;
        this.classifier = classifier;
        this.feedbackDomains = feedbackDomains;
        this.suppression = suppression;
        this.events = events;
        this.metrics = metrics;
        this.bounceMetrics = bounceMetrics;
    }

    FeedbackMetrics metrics() {
        return metrics;
    }

    /** What became of one message (also counted). */
    public FeedbackMetrics.Result take(long id, List<String> envelopeRecipients, byte[] raw, long nowMillis)
            throws IOException {
        FeedbackMetrics.Result result = decide(envelopeRecipients, raw, nowMillis);
        metrics.message(result);
        return result;
    }

    private FeedbackMetrics.Result decide(List<String> envelopeRecipients, byte[] raw, long nowMillis)
            throws IOException {
        List<VerpCodec.Token> tokens = new ArrayList<>();
        boolean malformed = false;
        for (String rcpt : envelopeRecipients) {
            int at = rcpt.lastIndexOf('@');
            String local = at < 0 ? rcpt : rcpt.substring(0, at);
            if (unsubscribeMail != null && unsubscribeMail.isOwnLocalPart(local)) {
                return unsubscribe(unsubscribeMail.decode(local), nowMillis); // whatever the message says
            }
            if (VerpCodec.isVerpLocalPart(local)) {
                VerpCodec.Token t = verp.decode(local);
                if (t == null) {
                    malformed = true;
                } else if (!tokens.contains(t)) {
                    tokens.add(t);
                }
            }
        }
        if (malformed && tokens.isEmpty()) {
            return FeedbackMetrics.Result.FORGED;
        }
        if (tokens.isEmpty()) {
            tokens.addAll(quotedTokens(raw));
        }
        BounceReport report = BounceParser.parse(raw);
        return switch (report.kind()) {
            case DSN, TEXT_BOUNCE -> bounce(report, tokens, nowMillis);
            case COMPLAINT -> complaint(report, tokens, nowMillis);
            default -> FeedbackMetrics.Result.IGNORED;
        };
    }

    /**
     * A mail to a one-click unsubscribe address (RFC 8058's mailto, RFC 2369): its token names the stored message,
     * whose one recipient (and sender) the index knows, and must verify for that recipient; the recipient is then
     * unsubscribed from the sender's domain. A token that does not verify is forged; one the index does not know is
     * unmatched.
     */
    private FeedbackMetrics.Result unsubscribe(VerpCodec.Token token, long now) throws IOException {
        if (token == null) {
            return FeedbackMetrics.Result.FORGED;
        }
        FeedbackIndex.Sent s = index == null ? null : index.byVerp(token.messageId(), token.ordinal());
        if (s == null) {
            return FeedbackMetrics.Result.UNMATCHED;
        }
        if (!unsubscribeMail.verify(token, s.recipient())) {
            return FeedbackMetrics.Result.FORGED;
        }
        unsubscribes.unsubscribe(new io.sluice.model.UnsubscribeToken.Claim(s.recipient(), s.senderDomain(), now),
                "mailto", MessageIds.format(s.messageId()));
        return FeedbackMetrics.Result.UNSUBSCRIBE; // a repeated one changes nothing and says so the same way
    }

    /** Tokens (decoded, not yet verified) of VERP return paths at a feedback domain quoted anywhere in the report. */
    private List<VerpCodec.Token> quotedTokens(byte[] raw) {
        List<VerpCodec.Token> out = new ArrayList<>();
        List<String> domains = feedbackDomains.get();
        Matcher m = QUOTED_VERP.matcher(new String(raw, StandardCharsets.ISO_8859_1));
        while (m.find() && out.size() < 16) {
            if (domains.contains(m.group(2).toLowerCase(Locale.ROOT))) {
                VerpCodec.Token t = verp.decode(m.group(1));
                if (t != null && !out.contains(t)) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private FeedbackMetrics.Result bounce(BounceReport report, List<VerpCodec.Token> tokens, long now)
            throws IOException {
        List<BounceClassifier.Verdict> failed = new ArrayList<>();
        for (BounceClassifier.Verdict v : BounceClassifier.classify(report, classifier.get())) {
            String action = v.recipient().action();
            if (!action.equals("delayed") && !action.equals("delivered") && !action.equals("relayed")
                    && !action.equals("expanded")) {
                failed.add(v);
            }
        }
        if (failed.isEmpty()) {
            return FeedbackMetrics.Result.IGNORED; // a delay notice or a success report
        }
        List<FeedbackIndex.Sent> sent;
        if (tokens.isEmpty()) {
            sent = byMessageId(report);
        } else {
            Verified v = verified(tokens, failed.stream().map(f -> f.recipient().address()).toList());
            if (v.sent().isEmpty()) {
                return v.forged() ? FeedbackMetrics.Result.FORGED : FeedbackMetrics.Result.UNMATCHED;
            }
            sent = v.sent();
        }
        List<SuppressionEntry> entries = new ArrayList<>();
        List<FeedbackIndex.Sent> matched = new ArrayList<>();
        List<BounceClassifier.Verdict> verdicts = new ArrayList<>();
        for (BounceClassifier.Verdict v : failed) {
            // one verified VERP recipient: the report is about it, whatever address it names (forwarding)
            FeedbackIndex.Sent s = !tokens.isEmpty() && sent.size() == 1 ? sent.get(0)
                    : byAddress(sent, v.recipient().address());
            if (s == null) {
                continue;
            }
            matched.add(s);
            verdicts.add(v);
            if (v.classification().hard()) {
                entry(entries, s.recipient(), SuppressionScope.GLOBAL, "", v.classification().reason(),
                        SuppressionSource.ASYNC_BOUNCE, now);
            }
            if (!tokens.isEmpty() && sent.size() == 1) {
                break; // one VERP recipient: the report's other lines are about the same transaction
            }
        }
        add(entries); // durable before anything is said about it
        for (int i = 0; i < matched.size(); i++) {
            FeedbackIndex.Sent s = matched.get(i);
            BouncedRecipient r = verdicts.get(i).recipient();
            BounceReason reason = verdicts.get(i).classification().reason();
            boolean hard = verdicts.get(i).classification().hard();
            events.publish(LifecycleEvent.feedback(EventType.ASYNC_BOUNCE, now, MessageIds.format(s.messageId()),
                    s.sender(), s.recipient(), r.status(), r.diagnostic(), reason, hard));
            bounceMetrics.failure("async_bounce", reason.label(), null);
            if (hard) {
                bounceMetrics.hardBounce(s.senderDomain());
            }
        }
        return matched.isEmpty() ? FeedbackMetrics.Result.UNMATCHED : FeedbackMetrics.Result.BOUNCE;
    }

    private FeedbackMetrics.Result complaint(BounceReport report, List<VerpCodec.Token> tokens, long now)
            throws IOException {
        List<String> named = report.recipients().stream().map(BouncedRecipient::address)
                .filter(a -> a.indexOf('@') > 0).toList();
        List<FeedbackIndex.Sent> who = new ArrayList<>();
        if (!tokens.isEmpty()) { // a verified token names the recipient
            Verified v = verified(tokens, named);
            if (v.sent().isEmpty()) {
                return v.forged() ? FeedbackMetrics.Result.FORGED : FeedbackMetrics.Result.UNMATCHED;
            }
            who.addAll(v.sent());
        } else if (named.isEmpty()) {
            // without a token and without a name (redacted), only a message sent to one recipient says who it was
            List<FeedbackIndex.Sent> sent = byMessageId(report);
            if (distinctRecipients(sent) == 1) {
                who.addAll(sent);
            }
        } else {
            List<FeedbackIndex.Sent> sent = byMessageId(report);
            for (String address : named) {
                FeedbackIndex.Sent s = byAddress(sent, address);
                if (s != null) {
                    who.add(s);
                }
            }
        }
        if (who.isEmpty()) {
            return FeedbackMetrics.Result.UNMATCHED;
        }
        List<SuppressionEntry> entries = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        who.removeIf(s -> !done.add(s.recipient().toLowerCase(Locale.ROOT) + '\u0000' + s.senderDomain()));
        for (FeedbackIndex.Sent s : who) {
            String domain = s.senderDomain();
            entry(entries, s.recipient(), domain.isEmpty() ? SuppressionScope.GLOBAL : SuppressionScope.SENDER_DOMAIN,
                    domain, BounceReason.FEEDBACK, SuppressionSource.COMPLAINT, now);
        }
        add(entries); // durable before anything is said about it
        String feedbackType = report.feedbackType().isEmpty() ? "abuse" : report.feedbackType();
        for (FeedbackIndex.Sent s : who) {
            events.publish(LifecycleEvent.feedback(EventType.COMPLAINT, now, MessageIds.format(s.messageId()),
                    s.sender(), s.recipient(), null, "feedback-type " + feedbackType, BounceReason.FEEDBACK, null));
            metrics.complaint(s.senderDomain());
        }
        return FeedbackMetrics.Result.COMPLAINT;
    }

    /** The recipients tokens were verified for, and whether any token failed a check it could be put to. */
    private record Verified(List<FeedbackIndex.Sent> sent, boolean forged) {
    }

    /**
     * Each token checked against the address it was sent to: the index's record of it, or, when the index has none
     * (its day left the window, a crash lost its last second, another instance sent it), the addresses the report
     * names ({@code named}); the sender is then unknown. A token that verifies for none of the addresses it could be
     * checked against is forged; one with nothing to check against is unmatched.
     */
    private Verified verified(List<VerpCodec.Token> tokens, List<String> named) throws IOException {
        List<FeedbackIndex.Sent> out = new ArrayList<>();
        boolean forged = false;
        for (VerpCodec.Token t : tokens) {
            FeedbackIndex.Sent s = index == null ? null : index.byVerp(t.messageId(), t.ordinal());
            if (s != null) {
                if (verp.verify(t, s.recipient())) {
                    out.add(s);
                } else {
                    forged = true;
                }
                continue;
            }
            FeedbackIndex.Sent found = null;
            for (String address : named) {
                if (verp.verify(t, address)) {
                    found = new FeedbackIndex.Sent(t.messageId(), t.ordinal(), address, "", "");
                    break;
                }
            }
            if (found != null) {
                out.add(found);
            } else if (!named.isEmpty()) {
                forged = true;
            }
        }
        return new Verified(out, forged);
    }

    /** The recipients of the report's original Message-ID, from the index; empty when it has none. */
    private List<FeedbackIndex.Sent> byMessageId(BounceReport report) throws IOException {
        if (index == null || report.originalMessageId().isEmpty()) {
            return List.of();
        }
        return index.byMessageId(report.originalMessageId());
    }

    private static FeedbackIndex.Sent byAddress(List<FeedbackIndex.Sent> sent, String address) {
        for (FeedbackIndex.Sent s : sent) {
            if (s.recipient().equalsIgnoreCase(address)) {
                return s;
            }
        }
        return null;
    }

    private static long distinctRecipients(List<FeedbackIndex.Sent> sent) {
        return sent.stream().map(s -> s.recipient().toLowerCase(Locale.ROOT)).distinct().count();
    }

    private static void entry(List<SuppressionEntry> entries, String address, SuppressionScope scope, String value,
                              BounceReason reason, SuppressionSource source, long now) {
        try {
            entries.add(new SuppressionEntry(address, scope, value, reason, source, now, 0));
        } catch (IllegalArgumentException e) {
            // not an address the list can hold: nothing to suppress
        }
    }

    private void add(List<SuppressionEntry> entries) throws IOException {
        if (suppression != null && !entries.isEmpty()) {
            suppression.add(entries);
        }
    }
}
