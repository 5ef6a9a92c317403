package io.sluice.journal;

import io.sluice.model.RouteInputs;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One complete message handed from an SMTP session to the {@link JournalWriter}: envelope, metadata and the exact
 * bytes to store.
 *
 * <p>Ownership: from {@link JournalWriter#offer} until its {@link AppendCallback} runs, the journal reads
 * {@link #body()} between its position and limit (it moves the position while copying and restores it) and the
 * caller must not touch the buffer. After the callback the journal holds no reference to the message or its body, so the caller may
 * release pooled memory then. Fields are immutable; the callback slot is written by {@code offer} (producer
 * thread) and read and cleared by the writer thread, ordered by the queue hand-off.
 */
public final class AcceptedMessage {
    private final long id;
    private final long receivedAtMillis;
    private final String listener;
    private final String clientAddress;
    private final String heloName;
    private final String authIdentity;
    private final String sender;
    private final String routingTags;
    private final List<String> recipients;
    private final ByteBuffer body;
    private final boolean smtpUtf8;
    private final RouteInputs routeInputs;

    /** Set by {@link JournalWriter#offer}, cleared by the writer after the callback. */
    AppendCallback callback;

    /**
     * @param id               from {@link Journal#nextMessageId()}
     * @param receivedAtMillis when the final dot arrived, epoch millis
     * @param listener         listener name (for logs and dumps)
     * @param clientAddress    client IP literal
     * @param heloName         the EHLO/HELO argument as given
     * @param authIdentity     SMTP AUTH identity, or null when not authenticated
     * @param sender           MAIL FROM address, "" for the null reverse-path {@code <>}
     * @param recipients       RCPT TO addresses in order; recipient i of OUTCOME records is element i
     * @param body             the message bytes to store, from position to limit
     */
    public AcceptedMessage(long id, long receivedAtMillis, String listener, String clientAddress, String heloName,
                           String authIdentity, String sender, List<String> recipients, ByteBuffer body) {
        this(id, receivedAtMillis, listener, clientAddress, heloName, authIdentity, sender, "", recipients, body);
    }

    /**
     * As above, with routing tags: {@code name=value} lines (LF-separated) from the trusted client's
     * {@code X-Sluice-*} headers, "" when none.
     */
    public AcceptedMessage(long id, long receivedAtMillis, String listener, String clientAddress, String heloName,
                           String authIdentity, String sender, String routingTags, List<String> recipients,
                           ByteBuffer body) {
        this(id, receivedAtMillis, listener, clientAddress, heloName, authIdentity, sender, routingTags, recipients,
            body, false);
    }

    /**
     * As above; {@code smtpUtf8}: the client declared {@code SMTPUTF8} on MAIL (RFC 6531), so the message may carry
     * UTF-8 in its header section and cannot go to a next hop without SMTPUTF8 when it does.
     */
    public AcceptedMessage(long id, long receivedAtMillis, String listener, String clientAddress, String heloName,
                           String authIdentity, String sender, String routingTags, List<String> recipients,
                           ByteBuffer body, boolean smtpUtf8) {
        this(id, receivedAtMillis, listener, clientAddress, heloName, authIdentity, sender, routingTags, recipients,
            body, smtpUtf8, tag(routingTags, "stream"));
    }

    /**
     * As above, with the {@code stream} tag's value given (null: none) rather than found in {@code routingTags}: the
     * session's path, which has the tags as a map already.
     */
    public AcceptedMessage(long id, long receivedAtMillis, String listener, String clientAddress, String heloName,
                           String authIdentity, String sender, String routingTags, List<String> recipients,
                           ByteBuffer body, boolean smtpUtf8, String stream) {
        this(id, receivedAtMillis, listener, clientAddress, heloName, authIdentity, sender, routingTags, recipients,
                body, smtpUtf8, stream, "");
    }

    /**
     * As above, with the header From's domain ("" when none was found; journalled with the route inputs for the
     * suppression list's {@code from-domain} scope).
     */
    public AcceptedMessage(long id, long receivedAtMillis, String listener, String clientAddress, String heloName,
                           String authIdentity, String sender, String routingTags, List<String> recipients,
                           ByteBuffer body, boolean smtpUtf8, String stream, String fromDomain) {
        this.smtpUtf8 = smtpUtf8;
        this.routingTags = Objects.requireNonNull(routingTags, "routingTags");
        this.id = id;
        this.receivedAtMillis = receivedAtMillis;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
        this.heloName = Objects.requireNonNull(heloName, "heloName");
        this.authIdentity = authIdentity;
        this.sender = Objects.requireNonNull(sender, "sender");
        this.recipients = Objects.requireNonNull(recipients, "recipients");
        this.body = Objects.requireNonNull(body, "body");
        this.routeInputs = RouteInputs.of(sender, authIdentity, listener, stream, fromDomain);
    }

    /** The value of tag {@code name} in {@code name=value} lines, or null. */
    private static String tag(String tags, String name) {
        if (tags.isEmpty()) {
            return null;
        }
        for (String line : tags.split("\n")) {
            if (line.length() > name.length() && line.startsWith(name) && line.charAt(name.length()) == '=') {
                return line.substring(name.length() + 1);
            }
        }
        return null;
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

    /** The AUTH identity, or null. */
    public String authIdentity() {
        return authIdentity;
    }

    /** {@code name=value} lines of trusted {@code X-Sluice-*} tags, LF-separated; "" when none. */
    public String routingTags() {
        return routingTags;
    }

    /** The reverse-path; "" means {@code <>}. */
    public String sender() {
        return sender;
    }

    public List<String> recipients() {
        return recipients;
    }

    public ByteBuffer body() {
        return body;
    }

    /** What the message's route is chosen by: sender domain, AUTH identity, listener, {@code stream} tag. */
    public RouteInputs routeInputs() {
        return routeInputs;
    }

    /** The client declared {@code SMTPUTF8} on MAIL. */
    public boolean smtpUtf8() {
        return smtpUtf8;
    }

    @Override
    public String toString() {
        return "AcceptedMessage[" + MessageIds.format(id) + ", " + recipients.size() + " rcpt, "
            + body.remaining() + " bytes]";
    }
}
