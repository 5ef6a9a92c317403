package io.sluice.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.JournalSettings;
import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.journal.AcceptedMessage;
import io.sluice.journal.AcceptedRecord;
import io.sluice.journal.AppendCallback;
import io.sluice.journal.BodiesReader;
import io.sluice.journal.ChronicleSyncer;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.MessageIds;
import io.sluice.journal.Recovery;
import io.sluice.journal.SyncTarget;
import io.sluice.journal.Syncer;
import io.sluice.journal.WriterOptions;
import io.sluice.scheduler.GivenUp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DSN stage on a real journal (temp dir, real writer): the test thread drives {@link DsnAgent#doWork} (or the
 * real {@link DsnStage} thread), and the writer's queued and outcome listeners, which run in the order records
 * become durable in {@code state/}, show that each DSN is journalled before the OUTCOMEs it causes.
 */
class DsnStageTest {
    private static final long T0 = 1_790_000_000_000L;
    private static final String HOST = "mx.sluice.test";

    @TempDir
    Path dir;

    /** "queued <id>" and "outcome <id>/<rcpt>/<label>/<recorded>", in the order the writer reported them. */
    private final List<String> journalled = new CopyOnWriteArrayList<>();
    private final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    private final GatedSyncer syncer = new GatedSyncer();
    private final ManyToOneConcurrentArrayQueue<GivenUp> inbox = new ManyToOneConcurrentArrayQueue<>(4096);
    private Journal journal;
    private JournalWriter writer;
    private DsnAgent agent;

    private void start(WriterOptions options) throws IOException {
        journal = Journal.open(new JournalSettings(dir, JournalSettings.SyncPolicy.BATCH, 0, Duration.ofMinutes(1)),
                1 << 20);
        writer = JournalWriter.start(journal, Recovery.recover(journal), options
                .syncer(syncer)
                .queuedListener((id, index, at, rcpts) -> journalled.add("queued " + id))
                .outcomeListener((id, rcpt, outcome, recorded) ->
                        journalled.add("outcome " + id + "/" + rcpt + "/" + outcome.label() + "/" + recorded)));
        agent = new DsnAgent(inbox, writer, new OriginalReader(journal), new ExpiryReplies(journal),
                journal::nextMessageId, HOST,
                e -> events.add(e), () -> T0 + 60_000, () -> { });
    }

    @AfterEach
    void close() {
        syncer.open = true;
        if (agent != null) {
            agent.onClose();
        }
        if (writer != null) {
            writer.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    @Test
    void shouldJournalOneDsnToTheSenderBeforeTheOutcomesOfAllItsRecipients() throws Exception {
        start(new WriterOptions());
        Stored original = append("app@client.test", List.of("a@dest.test", "b@dest.test"),
                "Subject: hello\r\nMessage-ID: <m1@client.test>\r\n\r\nsecret body\r\n");
        inbox.offer(bounced(original, 0, "a@dest.test"));
        inbox.offer(expired(original, 1, "b@dest.test"));

        drive(() -> outcomes().size() == 2);

        List<String> queued = journalled.stream().filter(s -> s.startsWith("queued ")).toList();
        assertThat(queued).as("the original, then one DSN for both recipients").hasSize(2);
        String dsnQueued = queued.get(1);
        assertThat(journalled.subList(journalled.indexOf(dsnQueued), journalled.size())).containsExactly(dsnQueued,
                "outcome " + original.id + "/0/bounced/true", "outcome " + original.id + "/1/expired/true");

        Stored dsn = read(Long.parseLong(dsnQueued.substring("queued ".length())));
        assertThat(dsn.record.sender()).as("null reverse-path").isEmpty();
        assertThat(dsn.record.recipients()).containsExactly("app@client.test");
        assertThat(dsn.record.listener()).isEqualTo("dsn");
        assertThat(dsn.text).startsWith("Received: by mx.sluice.test (Sluice) id " + MessageIds.format(dsn.id))
                .contains("Content-Type: multipart/report; report-type=delivery-status;",
                        "Reporting-MTA: dns; mx.sluice.test",
                        "X-Sluice-Queue-ID: " + MessageIds.format(original.id),
                        "Arrival-Date: Mon, 21 Sep 2026 14:13:20 +0000",
                        "Final-Recipient: rfc822; a@dest.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                                + "Remote-MTA: dns; mx1.dest.test\r\n"
                                + "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n",
                        "Final-Recipient: rfc822; b@dest.test\r\nAction: failed\r\nStatus: 4.4.7\r\n"
                                + "Diagnostic-Code: X-Sluice; Message expired: max_age reached\r\n",
                        "Content-Type: text/rfc822-headers\r\n\r\nSubject: hello\r\nMessage-ID: <m1@client.test>\r\n")
                .doesNotContain("secret body");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.RECEIVED);
            assertThat(e.id()).isEqualTo(MessageIds.format(dsn.id));
            assertThat(e.listener()).isEqualTo("dsn");
            assertThat(e.sender()).isEmpty();
            assertThat(e.recipients()).containsExactly("app@client.test");
        });
    }

    @Test
    void shouldReportTheJournalledLastReplyOfAnExpiryTheSchedulerNoLongerKnows() throws Exception {
        start(new WriterOptions().deferredListener((id, rcpt, attempts, due, recorded) ->
                journalled.add("deferred " + id + "/" + rcpt + "/" + recorded)));
        Stored original = append("app@client.test", List.of("a@dest.test", "b@dest.test", "c@dest.test"),
                "Subject: hello\r\n\r\nbody\r\n");
        // What a run before a restart wrote: a remote reply (older, then newer) for a, Sluice's own finding for b.
        assertThat(writer.offerDeferred(original.id, 0, 1, T0 + 60_000, 421, "4.3.2 old", "mx0.dest.test")).isTrue();
        assertThat(writer.offerDeferred(original.id, 0, 2, T0 + 90_000, 451, "4.7.1 greylisted, try later",
                "mx1.dest.test")).isTrue();
        assertThat(writer.offerDeferred(original.id, 1, 1, T0 + 60_000, 0, "connection refused", null)).isTrue();
        awaitTrue(() -> journalled.stream().filter(e -> e.startsWith("deferred ")).count() == 3);
        inbox.offer(expired(original, 0, "a@dest.test"));
        inbox.offer(expired(original, 1, "b@dest.test"));
        inbox.offer(expired(original, 2, "c@dest.test")); // never deferred in the journal: the plain expiry

        drive(() -> outcomes().size() == 3);

        Stored dsn = dsns().get(0);
        assertThat(dsn.text).contains(
                "Final-Recipient: rfc822; a@dest.test\r\nAction: failed\r\nStatus: 4.7.1\r\n"
                        + "Remote-MTA: dns; mx1.dest.test\r\n"
                        + "Diagnostic-Code: smtp; 451 4.7.1 greylisted, try later\r\n",
                "Final-Recipient: rfc822; b@dest.test\r\nAction: failed\r\nStatus: 4.4.7\r\n"
                        + "Diagnostic-Code: X-Sluice; connection refused\r\n",
                "Final-Recipient: rfc822; c@dest.test\r\nAction: failed\r\nStatus: 4.4.7\r\n"
                        + "Diagnostic-Code: X-Sluice; Message expired: max_age reached\r\n");
    }

    @Test
    void shouldGroupOnlyFailuresOfTheSameMessageThatWaitTogether() throws Exception {
        start(new WriterOptions());
        Stored a = append("a@client.test", List.of("x@dest.test", "y@dest.test"), "Subject: a\r\n\r\nA\r\n");
        Stored b = append("b@client.test", List.of("z@dest.test"), "Subject: b\r\n\r\nB\r\n");
        inbox.offer(bounced(a, 0, "x@dest.test"));
        inbox.offer(bounced(b, 0, "z@dest.test"));
        inbox.offer(bounced(a, 1, "y@dest.test"));

        drive(() -> outcomes().size() == 3);

        List<Stored> dsns = dsns();
        assertThat(dsns).extracting(d -> d.record.recipients().get(0))
                .containsExactly("a@client.test", "b@client.test");
        assertThat(dsns.get(0).text)
                .contains("Final-Recipient: rfc822; x@dest.test", "Final-Recipient: rfc822; y@dest.test");
        assertThat(dsns.get(1).text).contains("Final-Recipient: rfc822; z@dest.test").doesNotContain("x@dest.test");
    }

    @Test
    void shouldRecordTheOutcomeWithoutADsnForANullSender() throws Exception {
        start(new WriterOptions());
        Stored dsnItself = append("", List.of("app@client.test"), "Subject: Undelivered Mail\r\n\r\nx\r\n");
        inbox.offer(bounced(dsnItself, 0, "app@client.test"));

        drive(() -> outcomes().size() == 1);

        assertThat(outcomes()).containsExactly("outcome " + dsnItself.id + "/0/bounced/true");
        assertThat(dsns()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void shouldRecordTheOutcomeWithoutADsnWhenTheOriginalIsNotWhereTheSchedulerSaid() throws Exception {
        start(new WriterOptions());
        Stored other = append("other@client.test", List.of("o@dest.test"), "Subject: o\r\n\r\no\r\n");
        Stored lost = append("app@client.test", List.of("l@dest.test"), "Subject: l\r\n\r\nl\r\n");
        inbox.offer(new GivenUp(lost.id, other.bodiesIndex, 0, "l@dest.test", false, 550, "5.1.1", "no such user",
                "mx1.dest.test", 1, T0 + 1_000));

        drive(() -> outcomes().size() == 1);

        assertThat(outcomes()).containsExactly("outcome " + lost.id + "/0/bounced/true");
        assertThat(dsns()).isEmpty();
    }

    @Test
    void shouldKeepOutcomesInOrderWhileTheWriterIsFull() throws Exception {
        start(new WriterOptions().outcomeBufferBytes(WriterOptions.MIN_OUTCOME_BUFFER_BYTES));
        int count = 600; // more than the 8 KiB outcome ring holds (24-byte outcomes plus headers)
        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rcpts.add("r" + i + "@dest.test");
        }
        Stored bulk = append("", rcpts, "Subject: bulk\r\n\r\nb\r\n");
        Stored other = append("", List.of("o@dest.test"), "Subject: o\r\n\r\no\r\n");
        syncer.open = false;
        writer.offerOutcome(other.id, 0, io.sluice.journal.OutcomeCode.DELIVERED, T0); // parks the writer in sync
        awaitTrue(() -> syncer.waiting);
        for (int i = 0; i < count; i++) {
            inbox.offer(bounced(bulk, i, rcpts.get(i)));
        }

        agent.doWork();
        assertThat(agent.outcomeBacklog()).as("the writer took what fits, the rest waits").isPositive();
        syncer.open = true;
        drive(() -> outcomes().size() == count + 1);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add("outcome " + bulk.id + "/" + i + "/bounced/true");
        }
        assertThat(outcomes().stream().filter(s -> s.startsWith("outcome " + bulk.id + "/")).toList())
                .containsExactlyElementsOf(expected);
        assertThat(agent.outcomeBacklog()).isZero();
    }

    @Test
    void shouldRunOnItsOwnThreadAndCloseQuicklyWhenIdle() throws Exception {
        start(new WriterOptions());
        Stored original = append("app@client.test", List.of("a@dest.test"), "Subject: t\r\n\r\nt\r\n");
        DsnStage stage = DsnStage.start(journal, writer, HOST, e -> events.add(e));
        try {
            assertThat(stage.takesOutcomes()).isTrue();
            assertThat(stage.offer(bounced(original, 0, "a@dest.test"))).isTrue();
            awaitTrue(() -> outcomes().size() == 1);
            assertThat(dsns()).hasSize(1);
        } finally {
            long start = System.nanoTime();
            stage.close();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(DsnStage.CLOSE_WAIT_MILLIS));
        }
        assertThat(stage.offer(bounced(original, 0, "a@dest.test"))).as("closed").isFalse();
    }

    @Test
    void shouldStopWithinTheCloseWaitAndLeaveTheRecipientPendingWhenTheJournalHangs() throws Exception {
        start(new WriterOptions());
        Stored original = append("app@client.test", List.of("a@dest.test"), "Subject: t\r\n\r\nt\r\n");
        syncer.open = false;
        DsnStage stage = DsnStage.start(journal, writer, HOST, e -> events.add(e));
        assertThat(stage.offer(bounced(original, 0, "a@dest.test"))).isTrue();
        awaitTrue(() -> syncer.waiting);

        long start = System.nanoTime();
        stage.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(tookMillis).isBetween(DsnStage.CLOSE_WAIT_MILLIS - 100, DsnStage.CLOSE_WAIT_MILLIS + 2_000);
        syncer.open = true;
        awaitTrue(() -> journalled.stream().filter(s -> s.startsWith("queued ")).count() == 2);
        Thread.sleep(100);
        assertThat(outcomes()).as("abandoned: no OUTCOME, still pending").isEmpty();
    }

    private static GivenUp bounced(Stored m, int rcpt, String address) {
        return new GivenUp(m.id, m.bodiesIndex, rcpt, address, false, 550, "5.1.1", "5.1.1 no such user",
                "mx1.dest.test", 1, T0 + 1_000);
    }

    private static GivenUp expired(Stored m, int rcpt, String address) {
        return new GivenUp(m.id, m.bodiesIndex, rcpt, address, true, 0, "4.4.7", "Message expired: max_age reached",
                null, 3, T0 + 2_000);
    }

    private List<String> outcomes() {
        return journalled.stream().filter(s -> s.startsWith("outcome ")).toList();
    }

    /** Drives the agent on the test thread until {@code done}, for at most 5 s. */
    private void drive(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out; journalled: " + journalled).isLessThan(deadline);
            if (agent.doWork() == 0) {
                Thread.sleep(1);
            }
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** A message appended through the writer, as ingress does. */
    private record Stored(long id, long bodiesIndex, AcceptedRecord record, String text) {
    }

    private Stored append(String sender, List<String> recipients, String text) throws Exception {
        long id = journal.nextMessageId();
        CompletableFuture<Long> index = new CompletableFuture<>();
        boolean offered = writer.offer(new AcceptedMessage(id, T0, "main", "127.0.0.1", "client.test", null, sender,
                recipients, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))), new AppendCallback() {
                    @Override
                    public void appended(AcceptedMessage message, long bodiesIndex) {
                        index.complete(bodiesIndex);
                    }

                    @Override
                    public void failed(AcceptedMessage message, Throwable cause) {
                        index.completeExceptionally(cause);
                    }
                });
        assertThat(offered).isTrue();
        return new Stored(id, index.get(5, TimeUnit.SECONDS), null, text);
    }

    /** Every stored message from the null sender with listener "dsn", in journal order. */
    private List<Stored> dsns() {
        List<Stored> out = new ArrayList<>();
        try (BodiesReader reader = BodiesReader.open(journal)) {
            while (true) {
                AcceptedRecord r = new AcceptedRecord();
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                if (!reader.next(r, body::write)) {
                    return out;
                }
                if (r.listener().equals("dsn")) {
                    out.add(new Stored(r.id(), r.bodiesIndex(), r, body.toString(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    private Stored read(long id) {
        return dsns().stream().filter(d -> d.id == id).findFirst().orElseThrow();
    }

    /** The real syncer behind a switch: while closed, the writer thread waits inside sync (its ring fills up). */
    private static final class GatedSyncer implements Syncer {
        final ChronicleSyncer real = new ChronicleSyncer();
        volatile boolean open = true;
        volatile boolean waiting;

        @Override
        public void sync(SyncTarget target) throws IOException {
            while (!open) {
                waiting = true;
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            waiting = false;
            real.sync(target);
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }
}
