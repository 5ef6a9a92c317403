package io.sluice.journal;

/**
 * Where an SMTP session hands a complete message and waits for the word that it is safe to answer 250: the
 * {@link JournalWriter} for mail to relay, the feedback intake for bounces and complaint reports.
 *
 * <p>Contract (as {@link JournalWriter#offer}): false, without calling back, when the sink cannot take it now;
 * otherwise exactly one method of {@code callback} runs later on the sink's thread, and the caller does not touch
 * {@code message.body()} until then.
 */
public interface MessageSink {
    boolean offer(AcceptedMessage message, AppendCallback callback);
}
