package io.sluice.bounce;

/**
 * What a DSN needs from the message it reports on, read from its ACCEPTED record by {@link OriginalReader}.
 *
 * @param sender           the envelope sender, "" for the null reverse-path {@code <>} (then no DSN is sent)
 * @param receivedAtMillis when Sluice accepted it (the DSN's {@code Arrival-Date})
 * @param headers          its header section as stored ({@link OriginalHeaders}); empty when the body could not be
 *                         read, so the DSN still goes out, only without the original headers
 */
record Original(String sender, long receivedAtMillis, byte[] headers) {
}
