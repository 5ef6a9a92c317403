package io.sluice.journal;

import io.sluice.config.JournalSettings;
import io.sluice.config.JournalSettings.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Builders and recorders shared by the journal tests. */
final class TestJournals {
    static final long MAX_MESSAGE = 20L << 20;

    private TestJournals() {
    }

    static JournalSettings settings(Path dir, SyncPolicy sync) {
        return new JournalSettings(dir, sync, 0, Duration.ofMinutes(1));
    }

    static Journal open(Path dir) throws IOException {
        return Journal.open(settings(dir, SyncPolicy.BATCH), MAX_MESSAGE);
    }

    static AcceptedMessage message(long id, List<String> recipients, byte[] body) {
        return new AcceptedMessage(id, 1_790_000_000_000L + id % 1000, "main", "127.0.0.1", "client.example",
            null, "sender@example.com", recipients, ByteBuffer.wrap(body));
    }

    static AcceptedMessage message(long id, String text) {
        return message(id, List.of("rcpt@example.org"), text.getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256(byte[] data) {
        try {
            StringBuilder sb = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(data)) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A pending set as plain values, for equality checks; {@code retries} holds one packed retry word per recipient
     * ({@link PendingMessage#packRetry}, 0 = not deferred).
     */
    record Entry(long bodiesIndex, long receivedAtMillis, List<String> recipients, List<Boolean> pending,
                 List<Long> retries) {
        Entry(long bodiesIndex, long receivedAtMillis, List<String> recipients, List<Boolean> pending) {
            this(bodiesIndex, receivedAtMillis, recipients, pending,
                java.util.Collections.nCopies(recipients.size(), 0L));
        }
    }

    static Map<Long, Entry> snapshot(PendingSet set) {
        Map<Long, Entry> out = new TreeMap<>();
        set.forEach(m -> {
            Boolean[] flags = new Boolean[m.recipientCount()];
            Long[] retries = new Long[m.recipientCount()];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = m.isPending(i);
                retries[i] = m.retryWord(i);
            }
            out.put(m.id(), new Entry(m.bodiesIndex(), m.receivedAtMillis(), m.recipients(), List.of(flags),
                List.of(retries)));
        });
        return out;
    }

    /** Records callbacks; {@link #await} waits for a number of them. */
    static final class Recorder implements AppendCallback {
        final Map<Long, Long> appended = new ConcurrentHashMap<>();
        final Map<Long, Throwable> failed = new ConcurrentHashMap<>();
        final Map<Long, String> threads = new ConcurrentHashMap<>();
        private final CountDownLatch latch;

        Recorder(int expected) {
            this.latch = new CountDownLatch(expected);
        }

        @Override
        public void appended(AcceptedMessage m, long bodiesIndex) {
            threads.put(m.id(), Thread.currentThread().getName());
            appended.put(m.id(), bodiesIndex);
            latch.countDown();
        }

        @Override
        public void failed(AcceptedMessage m, Throwable cause) {
            failed.put(m.id(), cause);
            latch.countDown();
        }

        void await() throws InterruptedException {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("callbacks missing: " + latch.getCount());
            }
        }
    }
}
