package io.sluice.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.BounceReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suppression list on a real file: lookups per scope, removal, expiry, what survives a reopen, a torn tail
 * (an append that died half-written, never acknowledged), compaction, listing, the index against a reference map
 * under random adds and removes, and lookups racing writes.
 */
class SuppressionListTest {
    private static final long T = 1_790_000_000_000L;

    @TempDir
    Path dir;

    private static SuppressionEntry entry(String address, SuppressionScope scope, String value, BounceReason reason) {
        return new SuppressionEntry(address, scope, value, reason, SuppressionSource.OPERATOR, T, 0);
    }

    @Test
    void shouldFindEntriesByScopeCaseInsensitively() throws Exception {
        try (SuppressionList list = SuppressionList.open(dir.resolve("s.log"))) {
            list.add(List.of(entry("Gone@Example.NET", SuppressionScope.GLOBAL, "", BounceReason.USER_UNKNOWN),
                    entry("a@example.net", SuppressionScope.SENDER_DOMAIN, "Shop.Example", BounceReason.FEEDBACK),
                    entry("b@example.net", SuppressionScope.AUTH, "app1", BounceReason.UNDEFINED),
                    entry("c@example.net", SuppressionScope.FROM_DOMAIN, "news.example", BounceReason.FEEDBACK)));
            assertThat(list.size()).isEqualTo(4);
            assertThat(list.atRcpt("gone@example.net", "any.example", null, T)).isEqualTo(BounceReason.USER_UNKNOWN);
            assertThat(list.atRcpt("GONE@EXAMPLE.NET", "", "", T)).isEqualTo(BounceReason.USER_UNKNOWN);
            assertThat(list.atRcpt("a@example.net", "shop.example", null, T)).isEqualTo(BounceReason.FEEDBACK);
            assertThat(list.atRcpt("a@example.net", "other.example", null, T)).as("another sender").isNull();
            assertThat(list.atRcpt("b@example.net", "x.example", "app1", T)).isEqualTo(BounceReason.UNDEFINED);
            assertThat(list.atRcpt("b@example.net", "x.example", "app2", T)).isNull();
            assertThat(list.atRcpt("c@example.net", "news.example", null, T)).as("From: scope is not RCPT's")
                    .isNull();
            assertThat(list.find(SuppressionScope.FROM_DOMAIN, "NEWS.example", "c@example.net", T))
                    .isEqualTo(BounceReason.FEEDBACK);
        }
    }

    @Test
    void shouldKeepWhatWasAcknowledgedAcrossAReopenAndHonourExpiryAndRemoval() throws Exception {
        Path file = dir.resolve("s.log");
        try (SuppressionList list = SuppressionList.open(file)) {
            list.add(List.of(entry("x@example.net", SuppressionScope.GLOBAL, "", BounceReason.USER_UNKNOWN)));
            list.add(List.of(new SuppressionEntry("y@example.net", SuppressionScope.GLOBAL, "", BounceReason.FEEDBACK,
                    SuppressionSource.COMPLAINT, T, T + 60_000)));
            list.add(List.of(entry("z@example.net", SuppressionScope.GLOBAL, "", BounceReason.HOST_UNKNOWN)));
            assertThat(list.remove(List.of(entry("z@example.net", SuppressionScope.GLOBAL, "",
                    BounceReason.UNDEFINED)))).isEqualTo(1);
        }
        try (SuppressionList list = SuppressionList.open(file)) {
            assertThat(list.atRcpt("x@example.net", null, null, T)).isEqualTo(BounceReason.USER_UNKNOWN);
            assertThat(list.atRcpt("y@example.net", null, null, T + 59_000)).isEqualTo(BounceReason.FEEDBACK);
            assertThat(list.atRcpt("y@example.net", null, null, T + 60_000)).as("expired").isNull();
            assertThat(list.atRcpt("z@example.net", null, null, T)).as("removed").isNull();
            List<String> live = new ArrayList<>();
            list.forEach(T + 61_000, e -> live.add(e.address() + " " + e.reason() + " " + e.source()));
            assertThat(live).containsExactly("x@example.net userunknown operator");
        }
    }

    @Test
    void shouldCutOffATornTailAndKeepEverythingBeforeIt() throws Exception {
        Path file = dir.resolve("s.log");
        try (SuppressionList list = SuppressionList.open(file)) {
            list.add(List.of(entry("kept@example.net", SuppressionScope.GLOBAL, "", BounceReason.USER_UNKNOWN)));
        }
        long good = Files.size(file);
        // half of a record, as a SIGKILL in the middle of an append leaves it (that add was never acknowledged)
        Files.write(file, new byte[] {1, 0, 1, 4, 9, 9, 9}, StandardOpenOption.APPEND);
        try (SuppressionList list = SuppressionList.open(file)) {
            assertThat(list.atRcpt("kept@example.net", null, null, T)).isEqualTo(BounceReason.USER_UNKNOWN);
            assertThat(Files.size(file)).isEqualTo(good);
            list.add(List.of(entry("next@example.net", SuppressionScope.GLOBAL, "", BounceReason.USER_UNKNOWN)));
        }
        try (SuppressionList list = SuppressionList.open(file)) {
            assertThat(list.size()).isEqualTo(2);
        }
        Files.write(dir.resolve("bad.log"), "not a log".getBytes());
        assertThatThrownBy(() -> SuppressionList.open(dir.resolve("bad.log"))).isInstanceOf(IOException.class)
                .hasMessageContaining("not a Sluice suppression log");
    }

    @Test
    void shouldRefuseToStartOnCorruptionBeforeTheEndRatherThanDropAcknowledgedEntries() throws Exception {
        Path file = dir.resolve("s.log");
        try (SuppressionList list = SuppressionList.open(file)) {
            List<SuppressionEntry> batch = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                batch.add(entry("c" + i + "@example.net", SuppressionScope.GLOBAL, "", BounceReason.USER_UNKNOWN));
            }
            list.add(batch);
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[200] ^= 0x40; // a flipped bit in the third record or so: thousands of good ones follow
        Files.write(file, bytes);
        assertThatThrownBy(() -> SuppressionList.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt record at offset").hasMessageContaining("Move the file aside");
        assertThat(Files.size(file)).as("nothing cut").isEqualTo(bytes.length);
    }

    @Test
    void shouldCountOnlyEntriesThatWereThereWhenAMessageWasReceived() throws Exception {
        try (SuppressionList list = SuppressionList.open(dir.resolve("s.log"))) {
            list.add(List.of(new SuppressionEntry("late@example.net", SuppressionScope.GLOBAL, "",
                    BounceReason.USER_UNKNOWN, SuppressionSource.BOUNCE, T + 5_000, 0)));
            assertThat(list.atRcpt("late@example.net", null, null, T + 6_000, T + 4_000))
                    .as("received before the entry: e.g. the message whose bounce added it").isNull();
            assertThat(list.atRcpt("late@example.net", null, null, T + 6_000, T + 5_000))
                    .isEqualTo(BounceReason.USER_UNKNOWN);
        }
    }

    @Test
    void shouldCompactWhenDeadRecordsOutnumberLiveOnes() throws Exception {
        Path file = dir.resolve("s.log");
        try (SuppressionList list = SuppressionList.open(file)) {
            List<SuppressionEntry> batch = new ArrayList<>();
            for (int i = 0; i < 30_000; i++) {
                batch.add(entry("u" + i + "@example.net", SuppressionScope.GLOBAL, "", BounceReason.USER_UNKNOWN));
            }
            list.add(batch);
            list.remove(batch.subList(0, 25_000));
        }
        long before = Files.size(file);
        try (SuppressionList list = SuppressionList.open(file)) {
            assertThat(list.size()).isEqualTo(5_000);
            assertThat(Files.size(file)).isLessThan(before / 5);
            assertThat(list.atRcpt("u29999@example.net", null, null, T)).isEqualTo(BounceReason.USER_UNKNOWN);
            assertThat(list.atRcpt("u0@example.net", null, null, T)).isNull();
        }
        try (SuppressionList list = SuppressionList.open(file)) {
            assertThat(list.size()).isEqualTo(5_000);
        }
    }

    @Test
    void shouldAgreeWithAReferenceMapUnderRandomAddsAndRemoves() throws Exception {
        Random random = new Random(7);
        Map<String, BounceReason> reference = new HashMap<>();
        try (SuppressionList list = SuppressionList.open(dir.resolve("s.log"))) {
            for (int round = 0; round < 40; round++) {
                List<SuppressionEntry> adds = new ArrayList<>();
                List<SuppressionEntry> removes = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    String address = "r" + random.nextInt(20_000) + "@example.net";
                    if (random.nextInt(3) == 0) {
                        removes.add(entry(address, SuppressionScope.GLOBAL, "", BounceReason.UNDEFINED));
                    } else {
                        BounceReason reason = BounceReason.values()[1 + random.nextInt(10)];
                        adds.add(entry(address, SuppressionScope.GLOBAL, "", reason));
                    }
                }
                list.add(adds);
                adds.forEach(e -> reference.put(e.address(), e.reason()));
                list.remove(removes);
                removes.forEach(e -> reference.remove(e.address()));
            }
            assertThat(list.size()).isEqualTo(reference.size());
            for (int i = 0; i < 20_000; i++) {
                String address = "r" + i + "@example.net";
                assertThat(list.atRcpt(address, null, null, T)).as(address).isEqualTo(reference.get(address));
            }
        }
    }

    @Test
    void shouldAnswerLookupsWhileEntriesAreAdded() throws Exception {
        try (SuppressionList list = SuppressionList.open(dir.resolve("s.log"))) {
            list.add(List.of(entry("always@example.net", SuppressionScope.GLOBAL, "", BounceReason.USER_UNKNOWN)));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger wrong = new AtomicInteger();
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    if (list.atRcpt("always@example.net", null, null, T) != BounceReason.USER_UNKNOWN
                            || list.atRcpt("never@example.net", null, null, T) != null) {
                        wrong.incrementAndGet();
                    }
                }
            });
            reader.start();
            for (int round = 0; round < 50; round++) { // grows the table several times under the reader
                List<SuppressionEntry> batch = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    batch.add(entry("w" + round + "-" + i + "@example.net", SuppressionScope.GLOBAL, "",
                            BounceReason.USER_UNKNOWN));
                }
                list.add(batch);
            }
            stop.set(true);
            reader.join();
            assertThat(wrong.get()).isZero();
            assertThat(list.size()).isEqualTo(50_001);
        }
    }
}
