package io.sluice.bounce;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a delivery status notification says about one original message.
 *
 * @param reportingMta    our host name ({@code Reporting-MTA: dns; ...})
 * @param dsnMessageId    a unique id for the DSN's own Message-ID (e.g. the original queue id + ".dsn")
 * @param queueId         the original message's queue id (shown to the sender and in {@code X-Sluice-Queue-ID})
 * @param arrivalDate     when we accepted the original
 * @param lastAttempt     when the last attempt (or the expiry) happened
 * @param envelopeSender  the original envelope sender, who receives the DSN; never empty (no DSN for {@code <>})
 * @param recipients      the recipients reported on, at least one
 * @param originalHeaders the original message's header section as stored (without the empty line), returned as
 *                        {@code text/rfc822-headers}
 */
public record DsnReport(
        String reportingMta,
        String dsnMessageId,
        String queueId,
        Instant arrivalDate,
        Instant lastAttempt,
        String envelopeSender,
        List<RecipientStatus> recipients,
        byte[] originalHeaders) {

    public DsnReport {
        Objects.requireNonNull(reportingMta, "reportingMta");
        Objects.requireNonNull(dsnMessageId, "dsnMessageId");
        Objects.requireNonNull(arrivalDate, "arrivalDate");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        if (envelopeSender == null || envelopeSender.isEmpty()) {
            throw new IllegalArgumentException("no DSN is sent for the null sender <>");
        }
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a DSN reports on at least one recipient");
        }
        Objects.requireNonNull(originalHeaders, "originalHeaders");
    }
}
