package io.sluice.bounce;

import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.MessageIds;
import io.sluice.scheduler.GivenUp;
import io.sluice.util.HeaderAddress;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the given-up recipients of one original message into the DSN message Sluice queues for itself: an
 * {@link AcceptedMessage} from the null sender {@code <>} (so a DSN that fails never causes another) to the
 * original envelope sender, listener {@value #LISTENER}, whose text is our {@code Received} line followed by the
 * {@link DsnComposer} report (which carries Message-ID and Date, as submission hygiene would add).
 *
 * <p>Per recipient: {@code Action: failed} for bounces and expiries alike ("delayed" DSNs are not sent),
 * {@code Status} from the scheduler's enhanced status (when it is missing or malformed: {@code 4.4.7} for expiry,
 * else the reply class with {@code .0.0}), {@code Remote-MTA} from the MX host that answered, and a
 * {@code Diagnostic-Code} of reply code, status and text. An expiry reports the last temporary failure as Postfix
 * does (its status, host and reply). A reason Sluice decided itself has no MX host: no {@code Remote-MTA}, and
 * {@link DsnComposer} types its diagnostic {@code X-Sluice}. Pure; allocates per DSN (not a hot path).
 */
final class DsnMessage {
    /** The listener name DSNs are stored and reported under. */
    static final String LISTENER = "dsn";
    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");
    private DsnMessage() {
    }

    /**
     * The DSN with id {@code dsnId} reporting {@code failures} (all of message {@code originalId}, at least one)
     * of {@code original}, whose sender must not be empty.
     */
    static AcceptedMessage build(long dsnId, String reportingMta, long originalId, Original original,
                                 List<GivenUp> failures, long nowMillis) {
        String dsnQueueId = MessageIds.format(dsnId);
        long lastAttempt = 0;
        List<RecipientStatus> recipients = new ArrayList<>(failures.size());
        for (GivenUp g : failures) {
            lastAttempt = Math.max(lastAttempt, g.timeMillis());
            recipients.add(new RecipientStatus(g.recipient(), RecipientStatus.Action.FAILED, status(g),
                    g.code() > 0 ? g.mxHost() : null, diagnostic(g)));
        }
        byte[] report = DsnComposer.compose(new DsnReport(reportingMta, dsnQueueId, MessageIds.format(originalId),
                Instant.ofEpochMilli(original.receivedAtMillis()), Instant.ofEpochMilli(lastAttempt),
                original.sender(), recipients, original.headers()));
        String received = "Received: by " + reportingMta + " (Sluice) id " + dsnQueueId + "\r\n\tfor <"
                + HeaderAddress.safe(original.sender()) + ">; "
                + DsnComposer.RFC_5322.format(Instant.ofEpochMilli(nowMillis)) + "\r\n";
        ByteArrayOutputStream text = new ByteArrayOutputStream(received.length() + report.length);
        text.writeBytes(received.getBytes(StandardCharsets.UTF_8));
        text.writeBytes(report);
        return new AcceptedMessage(dsnId, nowMillis, LISTENER, "", reportingMta, null, "",
                List.of(original.sender()), ByteBuffer.wrap(text.toByteArray()));
    }

    /** The enhanced status to report for {@code g}. */
    static String status(GivenUp g) {
        String s = g.enhancedStatus();
        if (s != null && STATUS.matcher(s).matches()) {
            return s;
        }
        if (g.expired()) {
            return "4.4.7";
        }
        return g.code() >= 400 && g.code() < 500 ? "4.0.0" : "5.0.0";
    }

    /**
     * {@code 550 5.1.1 text} for a remote reply; for Sluice's own decisions the status and explanation without a
     * reply code that no server sent ({@code 5.3.4 message size ...}); null if empty.
     */
    static String diagnostic(GivenUp g) {
        String text = g.text() == null ? "" : g.text().strip();
        if (g.code() <= 0) {
            return text.isEmpty() ? null : text;
        }
        String status = g.enhancedStatus();
        if (status != null && !status.isEmpty() && !text.startsWith(status)) {
            text = text.isEmpty() ? status : status + " " + text;
        }
        if (g.mxHost() == null) {
            return text.isEmpty() ? null : text;
        }
        return text.isEmpty() ? Integer.toString(g.code()) : g.code() + " " + text;
    }
}
