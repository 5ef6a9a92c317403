package io.sluice.bounce.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackIndexTest {
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void shouldFindRecipientsByTokenAndByMessageIdAlsoAfterReopening() throws Exception {
        AtomicLong clock = new AtomicLong(100 * DAY + 5);
        try (FeedbackIndex index = FeedbackIndex.open(dir, 30, clock::get)) {
            index.record(7, "news@client.test", "<m1@client.test>", List.of("a@dest.test", "b@dest.test"),
                    new int[] {0, 1});
            index.record(7, "news@client.test", " <m1@client.test> (comment)", List.of("c@other.test"),
                    new int[] {2});
            index.record(8, "", "", List.of("x@dest.test"), new int[] {0});
            assertThat(index.byVerp(7, 1).recipient()).isEqualTo("b@dest.test");
            assertThat(index.byVerp(7, 1).senderDomain()).isEqualTo("client.test");
            assertThat(index.byVerp(7, 3)).isNull();
        }
        try (FeedbackIndex index = FeedbackIndex.open(dir, 30, clock::get)) {
            assertThat(index.byVerp(7, 2).recipient()).isEqualTo("c@other.test");
            assertThat(index.byVerp(8, 0).recipient()).isEqualTo("x@dest.test");
            assertThat(index.byMessageId("<m1@client.test>")).extracting(FeedbackIndex.Sent::recipient)
                    .containsExactlyInAnyOrder("a@dest.test", "b@dest.test", "c@other.test");
            assertThat(index.byMessageId("<unknown@client.test>")).isEmpty();
            index.record(9, "s@client.test", "<m2@client.test>", List.of("d@dest.test"), new int[] {0});
        }
        try (FeedbackIndex index = FeedbackIndex.open(dir, 30, clock::get)) {
            assertThat(index.byMessageId("<m2@client.test>")).singleElement()
                    .extracting(FeedbackIndex.Sent::recipient).isEqualTo("d@dest.test");
        }
    }

    @Test
    void shouldForgetDaysThatLeftTheWindow() throws Exception {
        AtomicLong clock = new AtomicLong(100 * DAY);
        try (FeedbackIndex index = FeedbackIndex.open(dir, 2, clock::get)) {
            index.record(1, "s@client.test", "<old@client.test>", List.of("a@dest.test"), new int[] {0});
            clock.set(101 * DAY);
            index.record(2, "s@client.test", "<new@client.test>", List.of("b@dest.test"), new int[] {0});
            assertThat(index.byVerp(1, 0)).as("yesterday is still in a 2-day window").isNotNull();
            clock.set(102 * DAY);
            index.record(3, "s@client.test", "<newer@client.test>", List.of("c@dest.test"), new int[] {0});
            assertThat(index.byVerp(1, 0)).isNull();
            assertThat(index.byMessageId("<old@client.test>")).isEmpty();
            assertThat(index.byVerp(2, 0)).isNotNull();
            assertThat(index.size()).isEqualTo(4);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("1970-04-12.idx", "1970-04-13.idx");
        }
    }

    @Test
    void shouldCutATornLastLineAndSkipForeignLines() throws Exception {
        AtomicLong clock = new AtomicLong(100 * DAY);
        try (FeedbackIndex index = FeedbackIndex.open(dir, 30, clock::get)) {
            index.record(1, "s@client.test", "<a@client.test>", List.of("a@dest.test"), new int[] {0});
        }
        Path file = dir.resolve("1970-04-11.idx");
        Files.writeString(file, "not a record\n2\t-\ts@client.test\t<torn", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        try (FeedbackIndex index = FeedbackIndex.open(dir, 30, clock::get)) {
            assertThat(Files.readString(file)).endsWith("not a record\n");
            index.record(3, "s@client.test", "<b@client.test>", List.of("b@dest.test"), new int[] {0});
            assertThat(index.byVerp(1, 0).recipient()).isEqualTo("a@dest.test");
            assertThat(index.byVerp(3, 0).recipient()).isEqualTo("b@dest.test");
            assertThat(index.byVerp(2, 0)).isNull();
        }
    }
}
