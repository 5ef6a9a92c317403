package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text form of message ids, and ids unique and increasing across threads and restarts. */
class MessageIdsTest {
    @TempDir
    Path dir;

    @Test
    void shouldFormatSixteenLowercaseHexDigits() {
        assertThat(MessageIds.format(0)).isEqualTo("0000000000000000");
        assertThat(MessageIds.format(0x0186A3F2C4500001L)).isEqualTo("0186a3f2c4500001");
        assertThat(MessageIds.format(-1)).isEqualTo("ffffffffffffffff");
        byte[] buf = new byte[18];
        MessageIds.encode(0xABCL, buf, 1);
        assertThat(new String(buf, 1, 16, StandardCharsets.US_ASCII)).isEqualTo("0000000000000abc");
    }

    @Test
    void shouldParseWhatItFormats() {
        for (long id : new long[] {0, 1, 42, Long.MAX_VALUE, Long.MIN_VALUE, -1, 0x0186A3F2C4500001L}) {
            assertThat(MessageIds.parse(MessageIds.format(id))).isEqualTo(id);
        }
        assertThat(MessageIds.parse("0186A3F2C4500001")).isEqualTo(0x0186A3F2C4500001L);
    }

    @Test
    void shouldRejectMalformedIds() {
        for (String bad : new String[] {"", "123", "0186a3f2c450000", "0186a3f2c45000011", "0186a3f2c450000g",
            " 186a3f2c4500001", "-186a3f2c4500001"}) {
            assertThatThrownBy(() -> MessageIds.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> MessageIds.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldIssueUniqueIncreasingIdsFromManyThreads() throws Exception {
        try (Journal journal = TestJournals.open(dir)) {
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(new Thread(() -> {
                    long previous = Long.MIN_VALUE;
                    for (int i = 0; i < 20_000; i++) {
                        long id = journal.nextMessageId();
                        assertThat(id).isGreaterThan(previous);
                        previous = id;
                        seen.add(id);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(seen).hasSize(80_000);
        }
    }

    @Test
    void shouldSeedIdsFromTheClock() throws Exception {
        long before = System.currentTimeMillis();
        try (Journal journal = TestJournals.open(dir)) {
            long id = journal.nextMessageId();
            assertThat(id >>> MessageIdSequence.TIME_SHIFT).isBetween(before, System.currentTimeMillis());
        }
    }

    @Test
    void shouldIssueIdsAboveEveryRecoveredIdAfterReopen() throws Exception {
        long far = MessageIdSequence.timeFloor(System.currentTimeMillis() + 3_600_000L);
        long highest;
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            TestJournals.Recorder recorder = new TestJournals.Recorder(3);
            try (JournalWriter writer = JournalWriter.start(journal, recovered,
                new WriterOptions().checkpointOnClose(false))) {
                // An id from "the future" (a clock that ran ahead before the restart) must still be exceeded.
                writer.offer(TestJournals.message(journal.nextMessageId(), "a"), recorder);
                writer.offer(TestJournals.message(far, "b"), recorder);
                writer.offer(TestJournals.message(journal.nextMessageId(), "c"), recorder);
                recorder.await();
            }
            highest = recorder.appended.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        }
        assertThat(highest).isEqualTo(far);
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            assertThat(recovered.highestMessageId()).isEqualTo(far);
            long next = journal.nextMessageId();
            assertThat(next).isGreaterThan(far);
            assertThat(journal.nextMessageId()).isGreaterThan(next);
        }
    }
}
