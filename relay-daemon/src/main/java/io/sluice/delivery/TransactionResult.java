package io.sluice.delivery;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What became of one {@link OutboundMessage} on one connection, per recipient.
 *
 * <p>Raw material: the MAIL reply, each RCPT reply (aligned with {@link #recipients()}; null where none arrived or
 * none was sent), the data reply (the DATA command's reply when it was not 354, otherwise the reply to the final
 * dot; null when not reached) and the {@link #failure()} kind when the dialogue broke off (null when every expected
 * reply arrived). The effective {@link #reply(int)} for a recipient is, in order: the local rejection (SMTPUTF8
 * missing, SIZE exceeded), a non-2xx MAIL reply, a non-2xx RCPT reply, the data reply, else a reply describing the
 * failure (the server's 421 when it closed with one, else a local {@code 451 4.4.2}).
 *
 * <p>Status: 2xx is {@link RecipientStatus#DELIVERED}, 5xx {@link RecipientStatus#PERMANENT}, 4xx and connection
 * trouble {@link RecipientStatus#TEMPORARY}; an accepted recipient whose final-dot reply never came is
 * {@link RecipientStatus#UNKNOWN} (failure {@link FailureKind#UNKNOWN_AFTER_DOT}), which {@link #isTemporary}
 * also reports, so a caller that ignores the distinction retries (at-least-once).
 *
 * <p>Immutable.
 */
public final class TransactionResult {
    private final List<String> recipients;
    private final SmtpReply mailReply;
    private final List<SmtpReply> recipientReplies;
    private final SmtpReply dataReply;
    private final FailureKind failure;
    private final boolean textSent;
    private final SmtpReply[] effective;
    private final RecipientStatus[] status;
    /** The command each effective reply answered: MAIL, RCPT, DATA, or NONE (Sluice's own, the connection). */
    private final String[] commands;

    private TransactionResult(List<String> recipients, SmtpReply localRejection, SmtpReply mailReply,
                              SmtpReply[] recipientReplies, SmtpReply dataReply, FailureKind failure,
                              SmtpReply failureReply, boolean textSent) {
        this.recipients = recipients;
        this.mailReply = mailReply;
        this.recipientReplies = Collections.unmodifiableList(Arrays.asList(recipientReplies.clone()));
        this.dataReply = dataReply;
        this.failure = failure;
        this.textSent = textSent;
        int n = recipients.size();
        this.effective = new SmtpReply[n];
        this.status = new RecipientStatus[n];
        this.commands = new String[n];
        for (int i = 0; i < n; i++) {
            SmtpReply rcpt = recipientReplies[i];
            SmtpReply reply;
            boolean unknown = false;
            String command = "NONE";
            if (localRejection != null) {
                reply = localRejection;
            } else if (mailReply != null && !mailReply.isPositive()) {
                reply = mailReply;
                command = "MAIL";
            } else if (rcpt != null && !rcpt.isPositive()) {
                reply = rcpt;
                command = "RCPT";
            } else if (rcpt != null && dataReply != null) {
                reply = dataReply;
                command = "DATA";
            } else {
                reply = failureReply;
                unknown = rcpt != null && failure == FailureKind.UNKNOWN_AFTER_DOT;
            }
            commands[i] = command;
            if (reply == null) {
                throw new IllegalStateException("no reply for recipient " + i);
            }
            effective[i] = reply;
            status[i] = unknown ? RecipientStatus.UNKNOWN
                    : reply.isPositive() ? RecipientStatus.DELIVERED
                    : reply.isPermanent() ? RecipientStatus.PERMANENT : RecipientStatus.TEMPORARY;
        }
    }

    /** Nothing was sent: the same local reply applies to every recipient. */
    static TransactionResult rejectedLocally(List<String> recipients, SmtpReply reply) {
        return new TransactionResult(recipients, reply, null, new SmtpReply[recipients.size()], null, null, null,
                false);
    }

    /** The outcome of a dialogue; {@code failureReply} must be set when {@code failure} is. */
    static TransactionResult of(List<String> recipients, SmtpReply mailReply, SmtpReply[] recipientReplies,
                                SmtpReply dataReply, FailureKind failure, SmtpReply failureReply,
                                boolean textSent) {
        return new TransactionResult(recipients, null, mailReply, recipientReplies, dataReply, failure, failureReply,
                textSent);
    }

    public List<String> recipients() {
        return recipients;
    }

    /**
     * The SMTP command recipient {@code i}'s effective reply answered ({@code MAIL}, {@code RCPT}, {@code DATA}), or
     * {@code NONE} when it is Sluice's own (a local rejection, a broken connection): what the bounce classifier
     * needs to tell a refused recipient from a filter's verdict.
     */
    public String command(int i) {
        return commands[i];
    }

    /** Reply to MAIL FROM; null when MAIL was not sent or got no reply. */
    public SmtpReply mailReply() {
        return mailReply;
    }

    /** Reply to each RCPT TO, aligned with {@link #recipients()}; elements are null where none arrived. */
    public List<SmtpReply> recipientReplies() {
        return recipientReplies;
    }

    /** The DATA reply when not 354, else the final-dot reply; null when not reached. */
    public SmtpReply dataReply() {
        return dataReply;
    }

    /** Why the dialogue broke off, or null when every expected reply arrived. */
    public FailureKind failure() {
        return failure;
    }

    /** True when the whole text and the final dot were written to the socket. */
    public boolean textSent() {
        return textSent;
    }

    /** The reply that decides recipient {@code i}'s fate (see the class comment). */
    public SmtpReply reply(int i) {
        return effective[i];
    }

    public RecipientStatus status(int i) {
        return status[i];
    }

    public boolean isDelivered(int i) {
        return status[i] == RecipientStatus.DELIVERED;
    }

    public boolean isPermanent(int i) {
        return status[i] == RecipientStatus.PERMANENT;
    }

    /** 4xx or connection trouble, including {@link RecipientStatus#UNKNOWN}: try again later. */
    public boolean isTemporary(int i) {
        return status[i] == RecipientStatus.TEMPORARY || status[i] == RecipientStatus.UNKNOWN;
    }

    /** The final dot's reply never came for this accepted recipient. */
    public boolean isUnknown(int i) {
        return status[i] == RecipientStatus.UNKNOWN;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TransactionResult[");
        for (int i = 0; i < effective.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(recipients.get(i)).append('=').append(status[i]).append(' ')
                    .append(effective[i]);
        }
        return sb.append(failure == null ? "]" : "; failure " + failure + "]").toString();
    }
}
