package io.sluice.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.sluice.config.DeliverySettings;
import io.sluice.util.IdnDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One mail transaction (RFC 5321 3.3) on an open connection: MAIL, one RCPT per recipient, DATA, the dot-stuffed
 * text and the final dot, producing a {@link TransactionResult}.
 *
 * <p>Before anything is sent: a message that needs SMTPUTF8 (a non-ASCII local part, or a client that declared
 * SMTPUTF8 and a header section with UTF-8: {@link OutboundMessage#requiresSmtpUtf8()}) when the next hop lacks
 * it gets a local {@code 550 5.6.7}; without SMTPUTF8 an international domain is sent as its A-labels
 * ({@link IdnDomain}), with it as received; one larger than the advertised SIZE a local {@code 552 5.3.4}; the connection stays usable.
 * With PIPELINING (RFC 2920) MAIL, all RCPTs and DATA go out in one buffer and one flush, and the replies are read
 * in order; without it, each command waits for its reply (lockstep), and a rejected MAIL ends the transaction.
 * When no recipient was accepted the text is never sent: lockstep sends RSET instead of DATA; pipelined, the DATA
 * reply is normally 554, and a server that still says 354 gets a lone dot (the only way back to command mode)
 * before the RSET. A DATA refusal is followed by RSET too. A non-2xx RSET reply makes the connection unusable.
 *
 * <p>A 421 at any step is the server closing: it becomes the reply of every recipient without one, and the
 * connection is dropped. Other trouble (timeout, I/O error, malformed or out-of-place reply) ends the transaction
 * with {@link TransactionResult#failure()}; after the final dot was written it is
 * {@link FailureKind#UNKNOWN_AFTER_DOT}. The future completes once, on the event loop, after the connection is
 * idle again (or broken).
 *
 * <p>Allocates per transaction: this object, one command buffer, the reply array and the result.
 */
final class MailTransaction implements Exchange {
    private enum Step { MAIL, RCPT, DATA, TEXT, DOT, EMPTY_DOT, RSET }

    private final OutboundConnection connection;
    private final SmtpClientHandler handler;
    private final DeliverySettings settings;
    private final OutboundMessage message;
    /** As the results report them: the addresses as received. */
    private final List<String> recipients;
    /** As sent in RCPT: {@link #recipients}, or with A-label domains for a next hop without SMTPUTF8. */
    private List<String> wireRecipients;
    private final CompletableFuture<TransactionResult> result;
    private final SmtpReply[] rcptReplies;
    private boolean pipelined;
    private Step step = Step.MAIL;
    private SmtpReply mailReply;
    private SmtpReply dataReply;
    private SmtpReply closingReply;
    private int nextRcpt;
    private int accepted;
    private ChannelFuture textWrite;

    MailTransaction(OutboundConnection connection, SmtpClientHandler handler, DeliverySettings settings,
                    OutboundMessage message, CompletableFuture<TransactionResult> result) {
        this.connection = connection;
        this.handler = handler;
        this.settings = settings;
        this.message = message;
        this.recipients = message.recipients();
        this.wireRecipients = recipients;
        this.result = result;
        this.rcptReplies = new SmtpReply[recipients.size()];
    }

    /** {@code recipients} with A-label domains, the same list when none is international; null if one is invalid. */
    private static List<String> asciiDomains(List<String> recipients) {
        List<String> ascii = null;
        for (int i = 0; i < recipients.size(); i++) {
            String r = recipients.get(i);
            String a = IdnDomain.addressToAscii(r);
            if (a == null) {
                return null;
            }
            if (a != r && ascii == null) {
                ascii = new ArrayList<>(recipients.subList(0, i));
            }
            if (ascii != null) {
                ascii.add(a);
            }
        }
        return ascii == null ? recipients : ascii;
    }

    @Override
    public void start() {
        EhloCapabilities caps = connection.capabilities();
        if (message.requiresSmtpUtf8() && !caps.smtpUtf8()) {
            rejectLocally(SmtpReply.local(550, "5.6.7",
                    "SMTPUTF8 is required, but was not offered by host " + connection.mxHostName()));
            return;
        }
        boolean smtpUtf8 = caps.smtpUtf8() && (message.needsSmtpUtf8() || message.hasNonAsciiAddress());
        String sender = message.sender();
        if (!caps.smtpUtf8()) {
            // Only international domains can be non-ASCII here: send their A-labels (RFC 6531 3.2 allows it)
            sender = IdnDomain.addressToAscii(sender);
            wireRecipients = asciiDomains(recipients);
            if (sender == null || wireRecipients == null) {
                rejectLocally(SmtpReply.local(553, "5.1.3", "invalid international domain name"));
                return;
            }
        }
        if (caps.maxSize() > 0 && message.size() > caps.maxSize()) {
            rejectLocally(SmtpReply.local(552, "5.3.4", "message size " + message.size()
                    + " exceeds size limit " + caps.maxSize() + " of server " + connection.mxHostName()));
            return;
        }
        pipelined = caps.pipelining();
        ByteBuf out = handler.context().alloc().buffer(64 + 48 * (pipelined ? recipients.size() : 1));
        CommandWriter.mailFrom(out, sender, caps.size() ? message.size() : -1,
                message.eightBit() && caps.eightBitMime(), smtpUtf8);
        if (pipelined) {
            for (String r : wireRecipients) {
                CommandWriter.rcptTo(out, r);
            }
            CommandWriter.data(out);
        }
        connection.countTransaction();
        handler.expect(Stage.MAIL, settings.commandTimeout());
        handler.writeAndFlush(out);
    }

    @Override
    public void onReply(SmtpReply reply) {
        if (reply.code() == 421 && step != Step.RSET) {
            serverClosing(reply);
            return;
        }
        if (reply.isIntermediate() && step != Step.DATA) {
            handler.fail(FailureKind.PROTOCOL_ERROR, "unexpected " + reply + " in " + step, null);
            return;
        }
        switch (step) {
            case MAIL -> onMail(reply);
            case RCPT -> onRcpt(reply);
            case DATA -> onData(reply);
            case TEXT -> onReplyDuringText(reply);
            case DOT -> {
                dataReply = reply;
                handler.idle();
                complete(null, null);
            }
            case EMPTY_DOT -> sendRset();
            case RSET -> {
                if (reply.isPositive()) {
                    handler.idle();
                } else {
                    handler.close(null);
                }
                complete(null, null);
            }
            default -> throw new IllegalStateException(step.name());
        }
    }

    private void onMail(SmtpReply reply) {
        mailReply = reply;
        if (pipelined) {
            step = Step.RCPT;
            handler.expect(Stage.RCPT, settings.commandTimeout());
        } else if (!reply.isPositive()) {
            // No transaction was opened, so there is nothing to reset.
            handler.idle();
            complete(null, null);
        } else {
            step = Step.RCPT;
            sendLockstep(Stage.RCPT);
        }
    }

    private void onRcpt(SmtpReply reply) {
        rcptReplies[nextRcpt++] = reply;
        if (reply.isPositive() && mailReply.isPositive()) {
            accepted++;
        }
        if (nextRcpt < recipients.size()) {
            if (pipelined) {
                handler.expect(Stage.RCPT, settings.commandTimeout());
            } else {
                sendLockstep(Stage.RCPT);
            }
        } else if (pipelined) {
            step = Step.DATA;
            handler.expect(Stage.DATA, settings.dataInitiationTimeout());
        } else if (accepted == 0) {
            sendRset();
        } else {
            step = Step.DATA;
            sendLockstep(Stage.DATA);
        }
    }

    /** Lockstep: the next RCPT or DATA. */
    private void sendLockstep(Stage stage) {
        ByteBuf out = handler.context().alloc().buffer(stage == Stage.DATA ? 8 : 64);
        if (stage == Stage.DATA) {
            CommandWriter.data(out);
        } else {
            CommandWriter.rcptTo(out, wireRecipients.get(nextRcpt));
        }
        handler.expect(stage, stage == Stage.DATA ? settings.dataInitiationTimeout() : settings.commandTimeout());
        handler.writeAndFlush(out);
    }

    private void onData(SmtpReply reply) {
        if (reply.code() == 354) {
            if (accepted == 0) {
                ByteBuf out = handler.context().alloc().buffer(3);
                CommandWriter.emptyMessageEnd(out);
                step = Step.EMPTY_DOT;
                handler.expect(Stage.DOT, settings.dataTerminationTimeout());
                handler.writeAndFlush(out);
            } else {
                sendText();
            }
            return;
        }
        if (reply.isPositive()) {
            handler.fail(FailureKind.PROTOCOL_ERROR, "DATA answered with " + reply, null);
            return;
        }
        dataReply = reply;
        if (mailReply.isPositive()) {
            sendRset();
        } else {
            handler.idle();
            complete(null, null);
        }
    }

    private void sendText() {
        step = Step.TEXT;
        handler.expectWriteProgress(settings.dataBlockTimeout());
        textWrite = handler.writeAndFlush(new MessageText(message.body().retainedSlice(), true));
        textWrite.addListener(f -> {
            if (f.isSuccess() && step == Step.TEXT && !handler.isBroken()) {
                step = Step.DOT;
                handler.expect(Stage.DOT, settings.dataTerminationTimeout());
            }
        });
    }

    /** A reply before the text write completed: the final dot's reply if the write did complete, else an error. */
    private void onReplyDuringText(SmtpReply reply) {
        if (textWrite != null && textWrite.isSuccess()) {
            step = Step.DOT;
            dataReply = reply;
            handler.idle();
            complete(null, null);
            return;
        }
        // The server gave up on the text early; the rest of our text would be read as commands: drop the line.
        if (!reply.isPositive()) {
            dataReply = reply;
        }
        handler.fail(FailureKind.PROTOCOL_ERROR, "reply before the end of the message text: " + reply, null);
    }

    private void sendRset() {
        step = Step.RSET;
        ByteBuf out = handler.context().alloc().buffer(8);
        CommandWriter.rset(out);
        handler.expect(Stage.RSET, settings.commandTimeout());
        handler.writeAndFlush(out);
    }

    private void serverClosing(SmtpReply reply) {
        closingReply = reply;
        switch (step) {
            case MAIL -> mailReply = reply;
            case RCPT -> rcptReplies[nextRcpt++] = reply;
            case DATA, TEXT, DOT -> dataReply = reply;
            default -> {
            }
        }
        handler.fail(FailureKind.CONNECTION_LOST, "server closing: " + reply, null);
    }

    @Override
    public void onBroken(FailureKind kind, Stage stage, String detail, Throwable cause) {
        if (closingReply != null) {
            complete(FailureKind.CONNECTION_LOST, closingReply);
            return;
        }
        boolean allKnown = (mailReply != null && !mailReply.isPositive())
                || (nextRcpt == recipients.size() && (accepted == 0 || dataReply != null));
        if (allKnown) {
            complete(null, null);
            return;
        }
        boolean dotWritten = textWrite != null && textWrite.isSuccess();
        FailureKind effective = dotWritten ? FailureKind.UNKNOWN_AFTER_DOT : kind;
        complete(effective, describe(effective, stage, detail));
    }

    private SmtpReply describe(FailureKind kind, Stage stage, String detail) {
        String mx = connection.mxHostName();
        return switch (kind) {
            case UNKNOWN_AFTER_DOT -> SmtpReply.local(451, "4.4.2", "no reply to the end of data from " + mx
                    + " (" + detail + "): delivery status unknown");
            case TIMEOUT -> SmtpReply.local(451, "4.4.2", "timeout in " + stage + " with " + mx);
            case PROTOCOL_ERROR -> SmtpReply.local(451, "4.5.0", "protocol error in " + stage + " with " + mx
                    + ": " + detail);
            default -> SmtpReply.local(451, "4.4.2", "lost connection in " + stage + " with " + mx + ": " + detail);
        };
    }

    private void rejectLocally(SmtpReply reply) {
        handler.idle();
        result.complete(TransactionResult.rejectedLocally(recipients, reply));
    }

    private void complete(FailureKind failure, SmtpReply failureReply) {
        boolean textSent = textWrite != null && textWrite.isSuccess();
        result.complete(TransactionResult.of(recipients, mailReply, rcptReplies, dataReply, failure, failureReply,
                textSent));
    }
}
