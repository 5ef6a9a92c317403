package io.sluice.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The feedback loop's settings ({@code feedback} in sluice.yaml): what a {@code role: feedback} listener accepts and
 * how it matches what arrives to the mail Sluice sent.
 *
 * @param keyFile   the secret that signs VERP return paths ({@code key_file}); null: {@code feedback.key} in
 *                  {@code journal.dir}, made (32 random bytes, mode 0600) at the first start. Several Sluice
 *                  instances that share a feedback listener share this file
 * @param domains   domains the feedback listener takes mail for besides the routes' VERP domains ({@code domains}:
 *                  the addresses mailbox providers send complaint reports (ARF) to); lower case, A-labels
 * @param indexDays how long a sent message can still be matched ({@code index_days}, default 30): its record in the
 *                  feedback index (VERP token and original Message-ID) is kept that many days
 */
public record FeedbackSettings(Path keyFile, List<String> domains, int indexDays) {

    /** The default of {@code index_days}: most asynchronous bounces and complaints arrive within days. */
    public static final int DEFAULT_INDEX_DAYS = 30;
    /** The file name of the default key in {@code journal.dir}. */
    public static final String DEFAULT_KEY_FILE = "feedback.key";

    public FeedbackSettings {
        domains = List.copyOf(domains);
    }

    /** No {@code feedback} section. */
    public static FeedbackSettings defaults() {
        return new FeedbackSettings(null, List.of(), DEFAULT_INDEX_DAYS);
    }

    /** The key file in effect: {@link #keyFile}, or {@code feedback.key} in the journal directory. */
    public Path keyFile(Path journalDir) {
        return keyFile != null ? keyFile : journalDir.resolve(DEFAULT_KEY_FILE);
    }
}
