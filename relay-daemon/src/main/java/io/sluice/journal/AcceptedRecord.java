package io.sluice.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * An ACCEPTED record as read back by a {@link BodiesReader}: envelope and metadata (the body is streamed
 * separately, see {@link BodyConsumer}). Mutable and reused across reads by one reader thread.
 */
public final class AcceptedRecord {
    long bodiesIndex;
    long id;
    long receivedAtMillis;
    String listener;
    String clientAddress;
    String heloName;
    String authIdentity;
    String sender;
    String routingTags;
    final List<String> recipients = new ArrayList<>();
    int bodyLength;
    boolean smtpUtf8;

    /** Chronicle index of this record in {@code bodies/}. */
    public long bodiesIndex() {
        return bodiesIndex;
    }

    public long id() {
        return id;
    }

    public long receivedAtMillis() {
        return receivedAtMillis;
    }

    public String listener() {
        return listener;
    }

    public String clientAddress() {
        return clientAddress;
    }

    public String heloName() {
        return heloName;
    }

    /** {@code name=value} lines from trusted {@code X-Sluice-*} headers, LF-separated; "" when none. */
    public String routingTags() {
        return routingTags;
    }

    /** Null when the client did not authenticate. */
    public String authIdentity() {
        return authIdentity;
    }

    /** "" for the null reverse-path. */
    public String sender() {
        return sender;
    }

    /** The recipients in RCPT order; valid until the next read into this object. */
    public List<String> recipients() {
        return recipients;
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** The client declared {@code SMTPUTF8} on MAIL (record version 2; false in version 1 records). */
    public boolean smtpUtf8() {
        return smtpUtf8;
    }
}
