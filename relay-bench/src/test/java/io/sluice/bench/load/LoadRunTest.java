package io.sluice.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs the load tool in-process against {@link SmtpTestSink} on loopback. */
class LoadRunTest {

    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <([0-9a-f]{16})\\.");

    private static LoadSettings.Builder against(SmtpTestSink sink) {
        return LoadSettings.builder().port(sink.port()).timeout(Duration.ofSeconds(30)).threads(2);
    }

    @Test
    void shouldDeliverEveryMessageWithCorrectDotStuffingInLockstep() throws Exception {
        try (SmtpTestSink sink = SmtpTestSink.builder().offerPipelining(true).start()) {
            LoadSettings settings = against(sink).messages(300).connections(8).perConnection(20).sizeBytes(3000)
                    .build();

            LoadReport report = LoadRun.execute(settings);

            assertThat(report.success(false)).as(TextReportFormat.format(report, false)).isTrue();
            assertThat(report.accepted()).isEqualTo(300);
            assertThat(report.sent()).isEqualTo(300);
            assertThat(report.rejectsByCode()).isEmpty();
            assertThat(report.latency().count()).isEqualTo(300);
            assertThat(sink.accepted()).isEqualTo(300);
            assertThat(sink.pipelinedMails.get()).isZero();
            assertThat(report.pipelinedSessions()).isZero();
            assertThat(sink.maxMessagesPerConnection.get()).isEqualTo(20);
            assertStoredExactly(sink.storedMessages(), settings, 300);
        }
    }

    @Test
    void shouldPipelineEnvelopeWhenServerOffersIt() throws Exception {
        try (SmtpTestSink sink = SmtpTestSink.builder().offerPipelining(true).start()) {
            LoadSettings settings = against(sink).messages(200).connections(4).perConnection(50).pipelining(true)
                    .recipients(3).build();

            LoadReport report = LoadRun.execute(settings);

            assertThat(report.success(false)).as(TextReportFormat.format(report, false)).isTrue();
            assertThat(sink.accepted()).isEqualTo(200);
            assertThat(sink.mailCommands.get()).isEqualTo(200);
            assertThat(sink.pipelinedMails.get()).isEqualTo(200);
            assertThat(report.pipelinedSessions()).isEqualTo(report.sessions()).isPositive();
            assertThat(sink.recipients).hasSize(600);
            assertThat(new HashSet<>(sink.recipients)).containsExactlyInAnyOrder(
                    "sink+1@sluice-bench.test", "sink+2@sluice-bench.test", "sink+3@sluice-bench.test");
            assertStoredExactly(sink.storedMessages(), settings, 200);
        }
    }

    @Test
    void shouldNotPipelineWhenServerDoesNotOfferIt() throws Exception {
        try (SmtpTestSink sink = SmtpTestSink.builder().offerPipelining(false).start()) {
            LoadReport report = LoadRun.execute(against(sink).messages(100).connections(4).pipelining(true).build());

            assertThat(report.success(false)).isTrue();
            assertThat(sink.accepted()).isEqualTo(100);
            assertThat(sink.pipelinedMails.get()).isZero();
            assertThat(report.pipelinedSessions()).isZero();
            assertThat(report.sessions()).isPositive();
        }
    }

    @Test
    void shouldCountPipelinedMailRejectionsByTheirCodeAndRecover() throws Exception {
        try (SmtpTestSink sink = SmtpTestSink.builder().rejectMailEvery(10).start()) {
            LoadReport report = LoadRun.execute(against(sink).messages(200).connections(4).pipelining(true).build());

            assertThat(sink.rejectedMails.get()).isEqualTo(20);
            assertThat(report.rejectsByCode()).isEqualTo(Map.of(452, 20L));
            assertThat(report.accepted()).isEqualTo(180);
            assertThat(sink.accepted()).isEqualTo(180);
            assertThat(report.lostToConnection()).isZero();
            assertThat(report.connectionErrors()).isZero();
            assertThat(report.success(false)).isFalse();
            assertThat(report.success(true)).isTrue();
        }
    }

    @Test
    void shouldCountRejectedFinalDotInLockstep() throws Exception {
        try (SmtpTestSink sink = SmtpTestSink.builder().rejectDotEvery(25).start()) {
            LoadReport report = LoadRun.execute(against(sink).messages(100).connections(2).build());

            assertThat(report.rejectsByCode()).isEqualTo(Map.of(554, 4L));
            assertThat(report.accepted()).isEqualTo(96);
            assertThat(report.latency().count()).isEqualTo(96);
        }
    }

    @Test
    void shouldLeaveWarmupOutOfLatencyButSendIt() throws Exception {
        try (SmtpTestSink sink = SmtpTestSink.builder().start()) {
            LoadReport report = LoadRun.execute(against(sink).messages(100).warmup(20).connections(4).build());

            assertThat(sink.accepted()).isEqualTo(120);
            assertThat(report.accepted()).isEqualTo(120);
            assertThat(report.latency().count()).isEqualTo(100);
            assertThat(report.success(false)).isTrue();
        }
    }

    @Test
    void shouldPaceOpenLoopAtTheTargetRate() throws Exception {
        try (SmtpTestSink sink = SmtpTestSink.builder().start()) {
            LoadReport report = LoadRun.execute(against(sink).messages(200).connections(4).ratePerSecond(1000)
                    .build());

            assertThat(report.accepted()).isEqualTo(200);
            // 200 messages at 1000/s cannot take less than 199 intervals of 1 ms.
            assertThat(report.elapsedSeconds()).isGreaterThanOrEqualTo(0.199);
            assertThat(report.latency().count()).isEqualTo(200);
            assertThat(report.startedPerSecond()).isLessThan(1100);
        }
    }

    @Test
    void shouldChargeQueueingDelayToLatencyAndReportUnsustainedRate() throws Exception {
        // One connection, 5 ms per message at the server: at most ~200/s against a target of 2000/s.
        try (SmtpTestSink sink = SmtpTestSink.builder().dotReplyDelayMs(5).start()) {
            LoadReport report = LoadRun.execute(against(sink).messages(40).connections(1).ratePerSecond(2000)
                    .build());

            assertThat(report.accepted()).isEqualTo(40);
            assertThat(report.rateSustained()).isFalse();
            assertThat(report.startedPerSecond()).isLessThan(1000);
            // The last message was due at ~20 ms but could only start after ~39 * 5 ms.
            assertThat(report.latency().maxMs()).isGreaterThan(100);
            assertThat(report.ackLatency().p50Ms()).isLessThan(60);
            assertThat(TextReportFormat.format(report, false)).contains("NOT SUSTAINED");
        }
    }

    @Test
    void shouldStopAtTheHardTimeout() throws Exception {
        try (SmtpTestSink sink = SmtpTestSink.builder().dotReplyDelayMs(20_000).start()) {
            long start = System.nanoTime();
            LoadReport report = LoadRun.execute(against(sink).messages(10).connections(2)
                    .timeout(Duration.ofSeconds(1)).build());

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(report.timedOut()).isTrue();
            assertThat(report.abandoned()).isEqualTo(2);
            assertThat(report.unsent()).isEqualTo(8);
            assertThat(report.success(true)).isFalse();
        }
    }

    @Test
    void shouldGiveUpOnAPortNobodyListensOn() throws Exception {
        int port;
        try (SmtpTestSink sink = SmtpTestSink.builder().start()) {
            port = sink.port();
        }
        LoadReport report = LoadRun.execute(LoadSettings.builder().port(port).messages(10).connections(2)
                .timeout(Duration.ofSeconds(20)).build());

        assertThat(report.timedOut()).isFalse();
        assertThat(report.unsent()).isEqualTo(10);
        assertThat(report.connectionErrors()).isEqualTo(2L * ConnectionSlot.MAX_CONSECUTIVE_FAILURES);
        assertThat(report.lastConnectionError()).startsWith("connect:");
    }

    @Test
    void shouldRefuseANonLoopbackTargetBeforeConnecting() {
        assertThatThrownBy(() -> LoadRun.execute(LoadSettings.builder().host("192.0.2.1").messages(1).build()))
                .isInstanceOf(LoopbackTarget.NonLoopbackTargetException.class)
                .hasMessageContaining("192.0.2.1")
                .hasMessageContaining("not loopback");
    }

    /**
     * Every stored message must equal the template for its Message-ID (Date aside, which the run sets), be
     * exactly the template's size, and still contain the lines "." and ".." that only survive correct stuffing.
     */
    private static void assertStoredExactly(List<byte[]> stored, LoadSettings settings, int expected) {
        MessageTemplate template = MessageTemplate.create(settings.sizeBytes(), settings.mailFrom(),
                settings.rcptTo(), ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        Set<Long> ids = new HashSet<>();
        for (byte[] message : stored) {
            String text = new String(message, StandardCharsets.US_ASCII);
            Matcher m = MESSAGE_ID.matcher(text);
            assertThat(m.find()).as("Message-ID in %s", text).isTrue();
            long id = Long.parseUnsignedLong(m.group(1), 16);
            ids.add(id);
            String want = new String(template.storedMessage(id), StandardCharsets.US_ASCII);
            assertThat(message).hasSize(template.sizeBytes());
            assertThat(withoutDate(text)).isEqualTo(withoutDate(want));
            assertThat(text).contains("\r\n.\r\n", "\r\n..\r\n", "\r\n.leading dot");
        }
        assertThat(ids).hasSize(expected);
    }

    private static String withoutDate(String message) {
        return message.replaceFirst("(?m)^Date: [^\r]*\r\n", "");
    }
}
