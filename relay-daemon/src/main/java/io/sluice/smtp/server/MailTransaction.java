package io.sluice.smtp.server;

import io.netty.buffer.ByteBuf;
import io.sluice.config.Settings;
import io.sluice.config.SmtpSettings;
import io.sluice.smtp.codec.CommandLine;
import io.sluice.smtp.codec.ReadGate;
import io.sluice.util.IdnDomain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The envelope half of one session's mail transaction: {@code MAIL FROM} and {@code RCPT TO}, and the sender and
 * recipients they collect for {@link DataHandOff}.
 *
 * <p>Inputs: MAIL and RCPT {@link CommandLine}s the session routes here. Outputs: replies through the session
 * ({@code 250 2.1.0}/{@code 250 2.1.5}, or a refusal), the session state moving to {@code MAIL}/{@code RCPT}, and the
 * envelope ({@link #sender}, {@link #recipients}) until {@link #clear}. Policy applied here, in this order: command
 * sequence, well-formed UTF-8 ({@code 553 5.1.7}/{@code 553 5.1.3}: never decoded to U+FFFD), path syntax (RFC 5321
 * 4.1.2, {@link MailPath}), non-ASCII only with SMTPUTF8 (RFC 6531), an international domain valid under IDNA 2008
 * ({@link IdnDomain}; {@code 553 5.1.3}/{@code 553 5.1.7}), the declared
 * {@code SIZE} against {@code smtp.max_message_bytes} (RFC 1870), {@code smtp.max_recipients}, relay permission (AUTH
 * or {@code relay_networks}), a destination Sluice can route (no address literal, {@code localhost} or single-label
 * domain: {@code 550 5.7.1}), then hard and soft {@link BackPressure} and the AUTH identity's {@link Quotas}
 * ({@code 452 4.7.1}, read from the current settings so a reload applies at once). A bare {@code <postmaster>} skips the relay
 * checks and becomes {@code smtp.postmaster_address} (refused when that is unset). A soft delay holds the MAIL reply and stops
 * reading meanwhile (the decoder is paused, {@link ReadGate#DELAYED} closed), so pipelined commands wait.
 *
 * <p>Threading: the session's event loop only. Failure modes: every refusal is a precise reply and changes nothing in
 * the envelope; syntax and sequence errors count towards {@code smtp.max_errors} (through the session), limit and
 * back-pressure refusals (4xx/552) do not.
 */
final class MailTransaction {
    private final SmtpSession session;
    private final ListenerContext listener;
    /** The session's settings snapshot (queue and journal limits for back-pressure). */
    private final Settings settings;
    private final SmtpSettings limits;

    /** The reverse path of the current transaction; null outside one (the null sender {@code <>} is ""). */
    private String sender;
    /** The {@code SIZE=} of MAIL FROM (0 when not given), counted against the journal's disk at MAIL and RCPT. */
    private long declaredBytes;
    /** MAIL carried {@code SMTPUTF8}, so RCPT may use non-ASCII addresses. */
    private boolean smtpUtf8;
    /** Accepted forward paths, in order; reused across transactions. */
    private final List<String> recipients = new ArrayList<>();

    MailTransaction(SmtpSession session, ListenerContext listener, Settings settings) {
        this.session = session;
        this.listener = listener;
        this.settings = settings;
        this.limits = settings.smtp();
    }

    void mail(CommandLine line) {
        SmtpSession.State state = session.state();
        if (state == SmtpSession.State.CONNECTED) {
            session.error(SmtpReplies.NEED_HELO, Rejection.BAD_SEQUENCE);
            return;
        }
        if (state == SmtpSession.State.MAIL || state == SmtpSession.State.RCPT) {
            session.error(SmtpReplies.NESTED_MAIL, Rejection.BAD_SEQUENCE);
            return;
        }
        if (!line.argumentIsWellFormedUtf8()) {
            session.error(SmtpReplies.BAD_UTF8_SENDER, Rejection.BAD_SYNTAX);
            return;
        }
        MailPath path = MailPath.parseMailFrom(line.argument(StandardCharsets.UTF_8));
        if (path.error() != null) {
            session.error(SmtpReplies.text(path.error()), Rejection.BAD_SYNTAX);
            return;
        }
        if (line.argumentHasNonAscii() && !path.smtpUtf8()) {
            session.error(SmtpReplies.NON_ASCII, Rejection.BAD_SYNTAX);
            return;
        }
        if (!validDomain(path)) {
            session.error(SmtpReplies.BAD_IDN_SENDER, Rejection.BAD_SYNTAX);
            return;
        }
        if (path.declaredSize() > limits.maxMessageBytes()) {
            session.reply(SmtpReplies.SIZE_TOO_BIG);
            listener.observer().rejected(Rejection.MESSAGE_TOO_BIG);
            return;
        }
        declaredBytes = Math.max(0, path.declaredSize());
        if (refusedByBackPressure(1) || refusedByQuota(listener.quotas().checkMail(listener.settings().current(),
                session.authIdentity(), System.nanoTime()))) {
            return;
        }
        sender = path.address();
        smtpUtf8 = path.smtpUtf8();
        session.state(SmtpSession.State.MAIL);
        long delay = listener.backPressure().softDelayMillis(settings.queue(), limits);
        if (delay > 0) {
            delayReply(SmtpReplies.MAIL_OK, delay);
        } else {
            session.reply(SmtpReplies.MAIL_OK);
        }
    }

    void rcpt(CommandLine line) {
        SmtpSession.State state = session.state();
        if (state != SmtpSession.State.MAIL && state != SmtpSession.State.RCPT) {
            session.error(SmtpReplies.NEED_MAIL, Rejection.BAD_SEQUENCE);
            return;
        }
        if (!line.argumentIsWellFormedUtf8()) {
            session.error(SmtpReplies.BAD_UTF8_RECIPIENT, Rejection.BAD_SYNTAX);
            return;
        }
        MailPath path = MailPath.parseRcptTo(line.argument(StandardCharsets.UTF_8));
        if (path.error() != null) {
            session.error(SmtpReplies.text(path.error()), Rejection.BAD_SYNTAX);
            return;
        }
        if (line.argumentHasNonAscii() && !smtpUtf8) {
            session.error(SmtpReplies.NON_ASCII, Rejection.BAD_SYNTAX);
            return;
        }
        if (!validDomain(path)) {
            session.error(SmtpReplies.BAD_IDN_RECIPIENT, Rejection.BAD_SYNTAX);
            return;
        }
        if (recipients.size() >= limits.maxRecipients()) {
            session.reply(SmtpReplies.TOO_MANY_RECIPIENTS);
            listener.observer().rejected(Rejection.TOO_MANY_RECIPIENTS);
            return;
        }
        if (path.isBarePostmaster()) {
            postmaster();
            return;
        }
        if (listener.initialSettings().role() == io.sluice.config.ListenerSettings.Role.FEEDBACK) {
            feedbackRecipient(path);
            return;
        }
        if (!session.mayRelay()) {
            session.error(SmtpReplies.text("554 5.7.1 <" + path.address() + ">: Relay access denied"),
                    Rejection.RELAY_DENIED);
            return;
        }
        String unroutable = unroutableDestination(path);
        if (unroutable != null) {
            session.error(SmtpReplies.text("550 5.7.1 <" + path.address() + ">: Recipient address rejected: "
                    + unroutable), Rejection.RELAY_DENIED);
            return;
        }
        if (refusedAsSuppressed(path.address())) {
            return;
        }
        if (refusedByBackPressure(recipients.size() + 1) || refusedByQuota(listener.quotas().checkRcpt(
                listener.settings().current(), session.authIdentity(), recipients.size()))) {
            return;
        }
        recipients.add(path.address());
        session.state(SmtpSession.State.RCPT);
        session.reply(SmtpReplies.RCPT_OK);
    }

    /**
     * On a listener with {@code suppressed: reject}: a recipient the suppression list holds for this sender's domain
     * or AUTH identity (or globally) is refused with {@code 550 5.7.1}, naming the entry's reason; true when so. On
     * other listeners such recipients are accepted and recorded {@code suppressed} by the scheduler.
     */
    private boolean refusedAsSuppressed(String address) {
        if (listener.suppression() == RecipientSuppression.NONE) {
            return false;
        }
        io.sluice.config.ListenerSettings current = listener.settings().current().listener(listener.name());
        io.sluice.config.ListenerSettings ls = current != null ? current : listener.initialSettings();
        if (ls.suppressed() != io.sluice.config.ListenerSettings.SuppressedMode.REJECT) {
            return false;
        }
        int at = sender == null ? -1 : sender.lastIndexOf('@');
        io.sluice.model.BounceReason reason = listener.suppression().reason(address,
                at < 0 ? "" : sender.substring(at + 1), session.authIdentity());
        if (reason == null) {
            return false;
        }
        // a reply, not an error: a bulk client with many suppressed recipients must not be cut off for them
        session.reply(SmtpReplies.text("550 5.7.1 <" + address + ">: Recipient address rejected: on the "
                + "suppression list (" + reason.label() + ")"));
        listener.observer().rejected(Rejection.SUPPRESSED);
        return true;
    }

    /**
     * On a {@code role: feedback} listener: a recipient at one of the feedback domains (the routes' VERP domains and
     * {@code feedback.domains}, from the current settings) is taken from any client, since bounces and complaint
     * reports come from everywhere; any other is refused {@code 550 5.7.1} (never relayed, whoever asks).
     */
    private void feedbackRecipient(MailPath path) {
        String domain = path.domain() == null ? null : IdnDomain.toAscii(path.domain());
        if (domain == null || !listener.settings().current().feedbackDomains()
                .contains(domain.toLowerCase(java.util.Locale.ROOT))) {
            session.error(SmtpReplies.text("550 5.7.1 <" + path.address() + ">: Recipient address rejected: this"
                    + " server takes mail only for its feedback domains"), Rejection.RELAY_DENIED);
            return;
        }
        if (refusedByBackPressure(recipients.size() + 1)) {
            return;
        }
        recipients.add(path.address());
        session.state(SmtpSession.State.RCPT);
        session.reply(SmtpReplies.RCPT_OK);
    }

    /**
     * {@code RCPT TO:<postmaster>} without a domain, which RFC 5321 4.5.1 requires every SMTP server to accept,
     * from any client (no relay permission needed: it is mail for this server's operator): it is recorded as
     * {@code smtp.postmaster_address}. Without that key there is nowhere to deliver it, so it is refused with a
     * reply naming the key rather than accepted and deferred (there is no domain to look up).
     */
    private void postmaster() {
        String address = limits.postmasterAddress();
        if (address == null) {
            session.error(SmtpReplies.NO_POSTMASTER, Rejection.RELAY_DENIED);
            return;
        }
        if (refusedByBackPressure(recipients.size() + 1)) {
            return;
        }
        if (!recipients.contains(address)) { // repeated <postmaster> is one delivery, not max_recipients of them
            recipients.add(address);
        }
        session.state(SmtpSession.State.RCPT);
        session.reply(SmtpReplies.RCPT_OK);
    }

    /**
     * An international domain (U-labels or {@code xn--} labels) must be a valid IDNA 2008 name, checked here so that
     * a bad one is refused before the 250, not bounced by DNS afterwards. ASCII domains cost no IDNA call.
     */
    private static boolean validDomain(MailPath path) {
        String domain = path.domain();
        return domain == null || path.isAddressLiteral() || IdnDomain.toAscii(domain) != null;
    }

    /**
     * Why a recipient domain cannot be relayed to, or null: Sluice delivers by MX lookup only, so an address literal,
     * {@code localhost} (and {@code *.localhost}, RFC 6761) or a single-label name would only be deferred for
     * {@code queue.max_age} and bounced; refusing at RCPT tells the client at once.
     */
    private static String unroutableDestination(MailPath path) {
        String domain = path.domain();
        if (domain == null) {
            return null;
        }
        if (path.isAddressLiteral()) {
            return "address literals are not relayed, use a domain name";
        }
        if (domain.equalsIgnoreCase("localhost")
                || domain.regionMatches(true, domain.length() - 10, ".localhost", 0, 10)) {
            return "localhost is not a relay destination";
        }
        if (domain.indexOf('.') < 0) {
            return "single-label domain is not relayed, use a fully qualified domain name";
        }
        return null;
    }

    /** Answers a quota's refusal ({@code 452 4.7.1}), if any; true when it refused. */
    private boolean refusedByQuota(Quotas.Refusal refusal) {
        if (refusal == null) {
            return false;
        }
        session.reply(refusal.reply);
        listener.observer().rejected(refusal.rejection);
        return true;
    }

    private boolean refusedByBackPressure(int extraRecipients) {
        BackPressure.Verdict verdict = listener.backPressure().check(settings.queue(), settings.journal(),
                extraRecipients, declaredBytes);
        if (verdict == BackPressure.Verdict.ACCEPT) {
            return false;
        }
        session.reply(SmtpReplies.INSUFFICIENT_STORAGE);
        listener.observer().rejected(verdict == BackPressure.Verdict.DISK_LOW
                ? Rejection.BACK_PRESSURE_DISK : Rejection.BACK_PRESSURE_PENDING);
        return true;
    }

    /** Soft back-pressure: answer later and read nothing meanwhile. */
    private void delayReply(ByteBuf reply, long delayMillis) {
        session.decoder().pause();
        session.gate().close(ReadGate.DELAYED);
        session.ctx().executor().schedule(() -> {
            if (session.state() == SmtpSession.State.CLOSED) {
                return;
            }
            session.gate().open(ReadGate.DELAYED);
            session.ctx().write(reply.duplicate());
            session.decoder().resume();
            session.ctx().flush();
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Forgets the envelope (RSET, HELO/EHLO, STARTTLS, end of a transaction). */
    void clear() {
        sender = null;
        declaredBytes = 0;
        smtpUtf8 = false;
        recipients.clear();
    }

    /** MAIL carried {@code SMTPUTF8}; journalled with the message (the next hop must offer it too). */
    boolean smtpUtf8() {
        return smtpUtf8;
    }

    String sender() {
        return sender;
    }

    /** The live list, valid until {@link #clear}; copy it to keep it. */
    List<String> recipients() {
        return recipients;
    }
}
