package io.sluice.testing;

import io.sluice.config.JournalSettings;
import io.sluice.journal.AcceptedRecord;
import io.sluice.journal.BodiesReader;
import io.sluice.journal.Journal;
import io.sluice.journal.MessageIds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads every ACCEPTED record of a (closed) journal with its exact stored bytes, through the journal's own reader. */
public final class StoredMessages {

    /** One stored message. */
    public record Stored(String id, String sender, List<String> recipients, String authIdentity, String routingTags,
            byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private StoredMessages() {
    }

    public static List<Stored> read(Path journalDir) throws Exception {
        JournalSettings settings = new JournalSettings(journalDir, JournalSettings.SyncPolicy.NONE, 0,
                Duration.ofMinutes(1));
        List<Stored> result = new ArrayList<>();
        try (Journal journal = Journal.open(settings, 20L << 20); BodiesReader reader = BodiesReader.open(journal)) {
            AcceptedRecord record = new AcceptedRecord();
            while (true) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                if (!reader.next(record, body::write)) {
                    break;
                }
                result.add(new Stored(MessageIds.format(record.id()), record.sender(), List.copyOf(record.recipients()),
                        record.authIdentity(), record.routingTags(), body.toByteArray()));
            }
        }
        return result;
    }
}
