package io.sluice.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.sluice.config.SmtpSettings;
import io.sluice.events.LifecycleEvent;
import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.AppendCallback;
import io.sluice.journal.JournalFullException;
import io.sluice.journal.MessageIds;
import io.sluice.smtp.codec.CommandLine;
import io.sluice.smtp.codec.DataResult;
import io.sluice.smtp.codec.ReadGate;
import io.sluice.smtp.codec.SmtpServerDecoder;
import java.util.List;
import java.util.Map;

/**
 * The DATA half of one session's mail transaction: the {@code 354}, the message text, and its hand-off to the journal
 * writer, ending in the {@code 250 2.0.0 Ok: queued as <id>} reply only once the journal says the message is durable
 * (docs/architecture.md "Durability").
 *
 * <p>Inputs: the DATA {@link CommandLine}, the envelope of the session's {@link MailTransaction}, the text the
 * {@link SmtpServerDecoder} writes into the {@link MessageText} buffer, and the decoder's {@link DataResult}.
 * Outputs: {@code 354}; an {@link AcceptedMessage} offered to {@link ListenerContext#journal()} with this object as
 * its {@link AppendCallback}; then {@code 250} plus the accepted metric and the {@code received} lifecycle event, or
 * a refusal. From the end of DATA until the journal answers, the session is in {@code QUEUEING} with its decoder
 * paused, so pipelined commands wait and are answered in order after the 250.
 *
 * <p>Memory: DATA starts only while the shared {@link InflightBudget} has room; otherwise the 354 is held (decoder
 * paused, {@link ReadGate#INFLIGHT_BUDGET} closed) until memory is returned. The text buffer is released on every
 * path: refusal, journal completion, or the channel closing before the offer ({@link #channelClosed}); once
 * offered, the buffer is released only by {@link #completeQueued}, because the journal reads it until it calls back.
 *
 * <p>Threading: the session's event loop, except {@link #appended}/{@link #failed}, which run on the journal writer
 * thread and only hand over to the event loop (a preallocated {@link Runnable}, no lambda per message).
 * Failure modes: a message that would take the journal's disk below {@code journal.min_free} (with the text in
 * flight, {@link BackPressure#roomForMessage}) answers {@code 452 4.3.1} at the dot; a refused offer (writer full or closed) or a failed append answers {@code 451 4.3.0}, an append
 * the journal refused for lack of disk space ({@link JournalFullException}) {@code 452 4.3.1}; a DATA the
 * decoder reports incomplete (too big, line too long, bare line ending, NUL) or a hop-limit refusal from
 * {@link SubmissionHygiene} answers its precise reply; none of these counts towards {@code smtp.max_errors}. When
 * the journal answers during shutdown, its 250 (or 451) is followed by 421 and close.
 */
final class DataHandOff implements AppendCallback {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DataHandOff.class);
    private final SmtpSession session;
    private final MailTransaction transaction;
    private final ListenerContext listener;
    private final SmtpSettings limits;
    private final SubmissionHygiene hygiene;
    private final MessageText text;
    private final Runnable appendedOnLoop = this::completeQueued;
    private final Runnable budgetOnLoop = this::budgetAvailable;

    /** When the final dot arrived; the accept latency metric runs from here to the 250. */
    private long dataEndNanos;
    /**
     * The messages offered for this DATA and not yet all answered (one, or one per unsubscribe recipient plus the
     * rest, {@link UnsubscribeSplit}); null otherwise. Their own texts (a split's copies) are {@link #ownTexts}.
     */
    private List<AcceptedMessage> offered;
    private final List<ByteBuf> ownTexts = new java.util.ArrayList<>();
    /** The bytes of {@link #ownTexts}, counted against the in-flight budget. */
    private long ownBytes;
    /** Offered messages the journal has not answered yet; the last answer hands over to the event loop. */
    private final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();
    /** The texts are with the DKIM signing threads: nothing may release them until their answer. */
    private boolean signing;
    /** The body hashes of the DATA under way, computed as it arrives (DKIM keys configured), or null. */
    private io.sluice.signing.StreamingBodyHash bodyHash;
    private java.util.Set<io.sluice.signing.Canonicalization> bodyHashCanons;
    /** The keys that signed the messages of this DATA (counted once they are stored); empty when unsigned. */
    private List<io.sluice.signing.DkimSigner> signedWith = List.of();
    /** Offered messages the journal made durable (a split's partial failure is logged with it). */
    private final java.util.concurrent.atomic.AtomicInteger durable = new java.util.concurrent.atomic.AtomicInteger();
    /** Set by the journal writer thread before it hands {@link #completeQueued} to the event loop. */
    private volatile Throwable appendFailure;

    DataHandOff(SmtpSession session, MailTransaction transaction, ListenerContext listener, SmtpSettings limits) {
        this.session = session;
        this.transaction = transaction;
        this.listener = listener;
        this.limits = limits;
        this.hygiene = new SubmissionHygiene(limits.hostname(), limits.hopLimit());
        this.text = new MessageText(listener.budget());
    }

    void data(CommandLine line) {
        if (line.argumentLength() > 0) {
            session.error(SmtpReplies.NO_ARGUMENT, Rejection.BAD_SYNTAX);
            return;
        }
        SmtpSession.State state = session.state();
        if (state == SmtpSession.State.MAIL) {
            session.error(SmtpReplies.NO_VALID_RCPT, Rejection.BAD_SEQUENCE);
            return;
        }
        if (state != SmtpSession.State.RCPT) {
            session.error(state == SmtpSession.State.CONNECTED ? SmtpReplies.NEED_HELO : SmtpReplies.NEED_MAIL,
                    Rejection.BAD_SEQUENCE);
            return;
        }
        if (!listener.budget().hasRoom()) {
            // Hold the 354 until memory is returned; the client simply waits for our reply.
            session.decoder().pause();
            session.gate().close(ReadGate.INFLIGHT_BUDGET);
            listener.budget().await(() -> session.ctx().executor().execute(budgetOnLoop));
            return;
        }
        beginData();
    }

    private void budgetAvailable() {
        if (session.state() != SmtpSession.State.RCPT) {
            return;
        }
        session.gate().open(ReadGate.INFLIGHT_BUDGET);
        beginData();
        session.decoder().resume();
        session.ctx().flush();
    }

    private void beginData() {
        ChannelHandlerContext ctx = session.ctx();
        DkimStage dkim = listener.dkim();
        if (dkim != null && dkim.configured()) {
            java.util.Set<io.sluice.signing.Canonicalization> canons = dkim.bodyCanonicalizations();
            if (bodyHash == null || bodyHashCanons != canons) { // first DATA, or the keys were reloaded
                bodyHash = new io.sluice.signing.StreamingBodyHash(canons);
                bodyHashCanons = canons;
            }
            bodyHash.reset();
        } else {
            bodyHash = null;
        }
        session.decoder().startData(text.begin(ctx.alloc(), limits.maxMessageBytes()), limits.maxMessageBytes(),
                limits.enforcedTextLineOctets(),
                limits.bareLf() == SmtpSettings.BareLfPolicy.NORMALIZE);
        session.state(SmtpSession.State.DATA);
        session.timeout().dataStarted();
        ctx.writeAndFlush(SmtpReplies.START_DATA.duplicate());
    }

    /**
     * Counts text received so far against the budget (after each read while in DATA), and hashes its new lines for
     * DKIM while they are in the cache.
     */
    void accountGrowth() {
        text.accountGrowth();
        if (bodyHash != null && text.isOpen()) {
            ByteBuf b = text.buffer();
            bodyHash.advance(b.nioBuffer(b.readerIndex(), b.readableBytes()));
        }
    }

    void onDataEnd(DataResult result) {
        dataEndNanos = System.nanoTime();
        text.accountGrowth();
        if (result != DataResult.COMPLETE) {
            text.release();
            session.resetTransaction();
            refuseMessage(result == DataResult.LINE_TOO_LONG ? SmtpReplies.lineTooLong(limits)
                    : SmtpReplies.forDataResult(result), Rejection.forDataResult(result));
            return;
        }
        if (!listener.backPressure().roomForMessage(listener.settings().current().journal())) {
            text.release();
            session.resetTransaction();
            refuseMessage(SmtpReplies.INSUFFICIENT_STORAGE, Rejection.BACK_PRESSURE_DISK);
            return;
        }
        byte[][] bodyHashes = null;
        if (bodyHash != null) { // before hygiene: it may copy the text (the body stays the same bytes)
            ByteBuf b = text.buffer();
            bodyHashes = bodyHash.finish(b.nioBuffer(b.readerIndex(), b.readableBytes()));
        }
        long id = listener.ids().getAsLong();
        String idText = MessageIds.format(id);
        List<String> recipients = transaction.recipients();
        long receivedAtMillis = System.currentTimeMillis();
        SubmissionHygiene.Result cleaned = hygiene.apply(text.buffer(), idText,
                new SubmissionHygiene.Origin(session.heloName(), session.clientIp(), protocol(),
                        session.mayRelay()),
                recipients.size() == 1 ? recipients.get(0) : null, receivedAtMillis, session.ctx().alloc());
        text.replace(cleaned.text());
        if (cleaned.refusal() != null) {
            text.release();
            session.resetTransaction();
            refuseMessage(cleaned.refusal(), Rejection.HOP_LIMIT);
            return;
        }
        String stream = cleaned.tags().get("stream");
        List<UnsubscribeSplit.Part> parts = null;
        if (listener.unsubscribe() != UnsubscribeHeaders.NONE) {
            parts = split(id, stream, cleaned, receivedAtMillis);
            if (parts == SPLIT_REFUSED) {
                return;
            }
        }
        DkimStage dkim = listener.dkim();
        List<io.sluice.signing.DkimSigner> signers = dkim == null || !dkim.configured() ? List.of()
                : dkim.signers(cleaned.fromDomain());
        signedWith = signers; // counted once the messages are stored (none: unsigned)
        if (dkim != null && dkim.configured() && signers.isEmpty() && refusedUnsigned(cleaned.fromDomain(), parts)) {
            return;
        }
        session.state(SmtpSession.State.QUEUEING);
        session.decoder().pause();
        if (parts == null && signers.isEmpty()) { // the usual case: one message, as received
            offer(List.of(new AcceptedMessage(id, receivedAtMillis, listener.name(), session.clientIp(),
                    session.heloName(), session.authIdentity(), transaction.sender(), routingTags(cleaned.tags()),
                    List.copyOf(recipients), text.buffer().nioBuffer(), transaction.smtpUtf8(), stream,
                    cleaned.fromDomain())));
            return;
        }
        List<UnsubscribeSplit.Part> toStore = parts != null ? parts
                : List.of(new UnsubscribeSplit.Part(id, List.copyOf(recipients), null));
        if (signers.isEmpty()) {
            store(toStore, null, cleaned, stream, receivedAtMillis);
            return;
        }
        List<java.nio.ByteBuffer> texts = new java.util.ArrayList<>(toStore.size());
        for (UnsubscribeSplit.Part part : toStore) {
            texts.add((part.text() == null ? text.buffer() : part.text()).nioBuffer());
        }
        signing = true;
        if (!dkim.sign(signers, texts, bodyHashes, session.ctx().executor(),
                (fields, failure) -> signed(toStore, fields, failure, cleaned, stream, receivedAtMillis))) {
            signing = false;
            refuseQueued(SmtpReplies.QUEUE_WRITE_ERROR, Rejection.DKIM_BUSY);
        }
    }

    /**
     * Refuses the message once it is past the end of DATA (in {@code QUEUEING}): its memory returned, the reply
     * written and flushed (this may run outside a read, from the signing threads' answer), and then reading goes on,
     * or the session ends with {@code 421} when the daemon is shutting down.
     */
    private void refuseQueued(ByteBuf reply, Rejection reason) {
        releaseTexts();
        session.resetTransaction();
        refuseMessage(reply, reason);
        if (listener.isShuttingDown()) {
            session.closeWith(SmtpReplies.SHUTTING_DOWN, null);
            return;
        }
        session.decoder().resume();
        session.ctx().flush();
    }

    /**
     * Keys are configured but none covers this From domain: refused ({@code 550 5.7.1}, true) on a listener with
     * {@code dkim_required}, else stored unsigned and counted (false).
     */
    private boolean refusedUnsigned(String fromDomain, List<UnsubscribeSplit.Part> parts) {
        io.sluice.config.ListenerSettings current = listener.settings().current().listener(listener.name());
        io.sluice.config.ListenerSettings ls = current != null ? current : listener.initialSettings();
        if (!ls.dkimRequired()) {
            return false; // counted as unsigned once stored
        }
        listener.dkim().metrics().refusedNoKey();
        releaseTexts();
        session.resetTransaction();
        refuseMessage(SmtpReplies.text("550 5.7.1 No DKIM key signs mail from "
                + (fromDomain.isEmpty() ? "a message without a From domain" : fromDomain)
                + " (dkim_required on listener " + listener.name() + "): add a dkim key for it"),
                Rejection.DKIM_REQUIRED);
        return true;
    }

    /**
     * The signing threads' answer, on the event loop: each field goes in front of its text (in the text's own
     * headroom when it fits, else in a new buffer), then the messages are offered. A session that closed meanwhile
     * just returns its memory; a failed signature answers {@code 451 4.3.0} (the client sends again).
     */
    private void signed(List<UnsubscribeSplit.Part> parts, List<String> fields, Throwable failure,
                        SubmissionHygiene.Result cleaned, String stream, long receivedAtMillis) {
        signing = false;
        if (session.state() == SmtpSession.State.CLOSED) {
            releaseTexts();
            return;
        }
        if (failure != null) {
            LOG.error("message {}: DKIM signing failed: {}", MessageIds.format(parts.get(0).id()), failure.toString());
            refuseQueued(SmtpReplies.QUEUE_WRITE_ERROR, Rejection.JOURNAL_UNAVAILABLE);
            return;
        }
        try {
            store(parts, fields, cleaned, stream, receivedAtMillis);
        } catch (RuntimeException | OutOfMemoryError e) { // a copy for a field that did not fit its headroom
            LOG.error("message {}: could not put its DKIM signature in front: {}", MessageIds.format(parts.get(0)
                    .id()), e.toString());
            refuseQueued(SmtpReplies.QUEUE_WRITE_ERROR, Rejection.JOURNAL_UNAVAILABLE);
        }
    }

    /** Builds the messages of {@code parts}, each with its signature field in front when there are fields. */
    private void store(List<UnsubscribeSplit.Part> parts, List<String> fields, SubmissionHygiene.Result cleaned,
                       String stream, long receivedAtMillis) {
        List<AcceptedMessage> messages = new java.util.ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            UnsubscribeSplit.Part part = parts.get(i);
            ByteBuf body = part.text() == null ? text.buffer() : part.text();
            if (fields != null) {
                body = prepend(body, fields.get(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        part.text() == null);
            }
            messages.add(new AcceptedMessage(part.id(), receivedAtMillis, listener.name(), session.clientIp(),
                    session.heloName(), session.authIdentity(), transaction.sender(), routingTags(cleaned.tags()),
                    part.recipients(), body.nioBuffer(), transaction.smtpUtf8(), stream, cleaned.fromDomain()));
        }
        offer(messages);
    }

    /**
     * {@code field} in front of {@code body}: written into its headroom when it fits, else into a new buffer that
     * takes the old one's place ({@code shared}: the session's text; else one of {@link #ownTexts}).
     */
    private ByteBuf prepend(ByteBuf body, byte[] field, boolean shared) {
        if (body.readerIndex() >= field.length) {
            body.setBytes(body.readerIndex() - field.length, field);
            body.readerIndex(body.readerIndex() - field.length);
            return body;
        }
        ByteBuf copy = session.ctx().alloc().directBuffer(field.length + body.readableBytes());
        copy.writeBytes(field).writeBytes(body, body.readerIndex(), body.readableBytes());
        if (shared) {
            text.replaceAndRelease(copy);
        } else {
            ownTexts.set(ownTexts.indexOf(body), copy);
            body.release();
        }
        return copy;
    }

    /**
     * Offers every message; the event loop hears back once all are answered. When the journal refuses the first,
     * nothing was stored: {@code 451 4.3.0} at once. When it refuses a later one of a split, the earlier ones are in
     * flight: the refusal counts as that part's failure, so the client gets the {@code 451} once they are answered
     * and sends the message again (the parts already stored are then delivered twice: a duplicate, never a loss).
     */
    private void offer(List<AcceptedMessage> messages) {
        appendFailure = null;
        durable.set(0);
        unanswered.set(messages.size());
        offered = messages;
        for (int i = 0; i < messages.size(); i++) {
            if (listener.journal().offer(messages.get(i), this)) {
                continue;
            }
            if (i == 0) {
                offered = null;
                refuseQueued(SmtpReplies.QUEUE_WRITE_ERROR, Rejection.JOURNAL_UNAVAILABLE);
                return;
            }
            for (int k = i; k < messages.size(); k++) {
                failed(messages.get(k), new IllegalStateException("journal writer refused the offer"));
            }
            return;
        }
    }

    /** Marks a split that was refused (its reply sent, the text released). */
    private static final List<UnsubscribeSplit.Part> SPLIT_REFUSED = List.of();

    /**
     * The messages to store when routes ask for one-click unsubscribe ({@link UnsubscribeSplit}), null for the
     * message as received, or {@link #SPLIT_REFUSED} after refusing it: {@code 552 5.3.4} when its copies alone would
     * take more than {@code smtp.max_inflight_data_bytes} (send fewer recipients per message), {@code 451 4.3.0} when
     * they could not be made. The copies are counted against the in-flight budget until {@link #releaseTexts}.
     */
    private List<UnsubscribeSplit.Part> split(long id, String stream, SubmissionHygiene.Result cleaned,
                                              long receivedAtMillis) {
        List<String> recipients = transaction.recipients();
        io.sluice.model.RouteInputs inputs = io.sluice.model.RouteInputs.of(transaction.sender(),
                session.authIdentity(), listener.name(), stream, cleaned.fromDomain());
        long bytes = UnsubscribeSplit.copyBytes(listener.unsubscribe(), inputs, recipients,
                text.buffer().readableBytes(), cleaned.hasListUnsubscribe());
        if (bytes == 0) {
            return null;
        }
        if (bytes > limits.maxInflightDataBytes()) {
            text.release();
            session.resetTransaction();
            refuseMessage(SmtpReplies.text("552 5.3.4 Message too big for system: each recipient on a route with"
                    + " one-click unsubscribe gets a copy of its own, " + bytes + " bytes in all, over"
                    + " smtp.max_inflight_data_bytes (" + limits.maxInflightDataBytes() + "); send fewer recipients"
                    + " per message"), Rejection.MESSAGE_TOO_BIG);
            return SPLIT_REFUSED;
        }
        try {
            List<UnsubscribeSplit.Part> parts = UnsubscribeSplit.plan(listener.unsubscribe(), inputs, recipients,
                    text.buffer(), cleaned.hasListUnsubscribe(), firstThen(id), receivedAtMillis,
                    session.ctx().alloc());
            if (parts != null) {
                for (UnsubscribeSplit.Part part : parts) {
                    if (part.text() != null) {
                        ownTexts.add(part.text());
                        ownBytes += part.text().readableBytes();
                    }
                }
                listener.budget().add(ownBytes);
            }
            return parts;
        } catch (RuntimeException e) { // out of direct memory, or a route lookup failing
            LOG.error("message {}: one-click unsubscribe copies could not be made: {}", MessageIds.format(id),
                    e.toString());
            releaseTexts();
            session.resetTransaction();
            refuseMessage(SmtpReplies.QUEUE_WRITE_ERROR, Rejection.JOURNAL_UNAVAILABLE);
            return SPLIT_REFUSED;
        }
    }

    /** The ids of a split: {@code first} (the one the Received header names), then new ones. */
    private java.util.function.LongSupplier firstThen(long first) {
        long[] next = {first};
        return () -> {
            if (next[0] >= 0) {
                long id = next[0];
                next[0] = -1;
                return id;
            }
            return listener.ids().getAsLong();
        };
    }

    private void releaseTexts() {
        text.release();
        for (ByteBuf own : ownTexts) {
            own.release();
        }
        ownTexts.clear();
        if (ownBytes > 0) {
            listener.budget().release(ownBytes);
            ownBytes = 0;
        }
    }

    /** Trusted {@code X-Sluice-*} tags as the journal stores them: {@code name=value} lines. */
    private static String routingTags(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        tags.forEach((name, value) -> sb.append(sb.length() > 0 ? "\n" : "").append(name).append('=').append(value));
        return sb.toString();
    }

    /** The {@code with} protocol of the {@code Received} header (RFC 3848). */
    private String protocol() {
        boolean esmtp = session.isEsmtp();
        String base = esmtp ? "ESMTP" : "SMTP";
        if (!esmtp) {
            return base;
        }
        return base + (session.tlsActive() ? "S" : "") + (session.authIdentity() != null ? "A" : "");
    }

    private void refuseMessage(ByteBuf reply, Rejection reason) {
        session.reply(reply);
        listener.observer().rejected(reason);
    }

    /** Journal writer thread: the message is durable. */
    @Override
    public void appended(AcceptedMessage message, long bodiesIndex) {
        durable.incrementAndGet();
        if (unanswered.decrementAndGet() == 0) {
            session.ctx().executor().execute(appendedOnLoop);
        }
    }

    /** Journal writer thread (or the event loop, for a refused offer): the message could not be made durable. */
    @Override
    public void failed(AcceptedMessage message, Throwable cause) {
        if (appendFailure == null) {
            appendFailure = cause;
        }
        if (unanswered.decrementAndGet() == 0) {
            session.ctx().executor().execute(appendedOnLoop);
        }
    }

    private void completeQueued() {
        List<AcceptedMessage> messages = offered;
        offered = null;
        long bytes = text.buffer().readableBytes();
        releaseTexts();
        if (appendFailure != null && durable.get() > 0) {
            LOG.warn("message {}: {} of its {} parts stored before the journal failed ({}); the client is told"
                    + " to send it again, so those recipients may get it twice", MessageIds.format(messages.get(0)
                    .id()), durable.get(), messages.size(), appendFailure.toString());
        }
        if (session.state() == SmtpSession.State.CLOSED) {
            return;
        }
        ChannelHandlerContext ctx = session.ctx();
        if (appendFailure instanceof JournalFullException) {
            refuseMessage(SmtpReplies.INSUFFICIENT_STORAGE, Rejection.BACK_PRESSURE_DISK); // disk full: 452 4.3.1
        } else if (appendFailure != null) {
            refuseMessage(SmtpReplies.QUEUE_WRITE_ERROR, Rejection.JOURNAL_UNAVAILABLE);
        } else {
            ctx.write(SmtpReplies.text("250 2.0.0 Ok: queued as " + MessageIds.format(messages.get(0).id())));
            int recipients = 0;
            boolean relayed = listener.initialSettings().role() == io.sluice.config.ListenerSettings.Role.RELAY;
            for (AcceptedMessage message : messages) {
                recipients += message.recipients().size();
                if (!relayed) {
                    continue; // a feedback listener's message is read, not queued: no lifecycle to begin
                }
                listener.events().publish(LifecycleEvent.received(message.receivedAtMillis(),
                        MessageIds.format(message.id()), listener.name(), session.clientIp(), session.authIdentity(),
                        message.sender(), message.recipients(), message.body().remaining()));
            }
            listener.observer().messageAccepted(recipients, bytes, System.nanoTime() - dataEndNanos);
            countSignatures(messages.size());
        }
        session.resetTransaction();
        if (listener.isShuttingDown()) {
            session.closeWith(SmtpReplies.SHUTTING_DOWN, null);
            return;
        }
        session.timeout().touch();
        session.decoder().resume();
        ctx.flush();
    }

    /** DKIM metrics for {@code stored} messages of this DATA, now durable: their signatures, or unsigned. */
    private void countSignatures(int stored) {
        DkimStage dkim = listener.dkim();
        if (dkim == null || !dkim.configured() && signedWith.isEmpty()) {
            return;
        }
        for (int i = 0; i < stored; i++) {
            if (signedWith.isEmpty()) {
                dkim.metrics().unsigned();
            }
            for (io.sluice.signing.DkimSigner s : signedWith) {
                dkim.metrics().signed(s.key().algorithm().label());
            }
        }
        signedWith = List.of();
    }

    /**
     * The channel closed: return the text's memory unless the journal still holds the message, in which case
     * {@link #completeQueued} releases it when the journal answers.
     */
    void channelClosed() {
        if (offered == null && !signing) { // else the journal's answer or the signatures release it
            releaseTexts();
        }
    }
}
