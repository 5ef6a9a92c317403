package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.routing.Router;
import io.sluice.shaping.PathPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm-up caps at placement ({@link WarmupCaps}), driven on the test thread with a settable clock against a real
 * journal and resolver: a capped source leaves the rest of the day's mail to the pool's other source; when every
 * source is capped the mail is deferred to the next UTC day (never bounced) and goes then; the schedule day advances
 * at midnight only after a day within the deferral threshold; progress survives a restart through its state file.
 * Rotation ({@link SourceHealth}, same set-up): a source whose block rate passes the threshold leaves rotation for
 * the provider, the other source takes its mail, and it comes back when its probe after the cool-down goes through.
 */
class SchedulerWarmupTest {
    /** 2026-12-07T23:30Z: half an hour before a new UTC day (within the fixture's max_age of an hour). */
    private static final long MORNING = java.time.Instant.parse("2026-12-07T23:30:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private SchedulerFixture f;
    private Settings settings;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private void start(String ip1Warmup, String ip2Warmup, WarmupState restored) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("shaping.yaml"), """
                rotation: {window: 10, min_transactions: 4, max_block_rate: 0.25, cooldown: 10m}
                warmup:
                  max_deferral_rate: 0.2
                  schedules:
                    - name: slow
                      days: [{day: 1, default: 3}, {day: 2, default: 6}, {day: 5, default: 100}]
                """);
        Files.writeString(conf.resolve("sluice.yaml"), """
                shaping: {file: shaping.yaml}
                sources:
                  - {name: ip1, address: 127.0.0.1%s}
                  - {name: ip2, address: 127.0.0.1%s}
                pools:
                  - {name: default, sources: [{source: ip1, weight: 1}, {source: ip2, weight: 1}]}
                """.formatted(ip1Warmup, ip2Warmup));
        settings = SettingsLoader.load(conf.resolve("sluice.yaml"));
        f = new SchedulerFixture(Files.createDirectories(dir.resolve("journal")), SchedulerFixture.options(10));
        f.clock.set(MORNING);
        f.dns.mx("w.test", 10, "mx.w.test").a("mx.w.test", "127.0.0.2");
        f.start();
        f.scheduler.changeEgress(Router.compile(settings.egress()), Set.of());
        f.scheduler.changePathPolicy(PathPolicy.from(settings.delivery(), settings.shaping()));
        if (restored != null) {
            f.scheduler.restoreWarmup(restored);
        }
        f.scheduler.changeWarmup(settings.egress().sources(), settings.shaping().rules());
    }

    private long bySource(String source) {
        return f.dispatched.stream().filter(t -> t.source().equals(source)).count();
    }

    private void deliverAll() {
        for (int i = delivered; i < f.dispatched.size(); i++) {
            f.delivered(f.dispatched.get(i));
        }
        delivered = f.dispatched.size();
    }

    private int delivered;

    @Test
    void shouldLetThePoolsOtherSourceTakeTheMailOfACappedSource() throws Exception {
        start(", warmup: {schedule: slow, start: 2026-12-07}", "", null);
        for (int i = 0; i < 10; i++) {
            f.accept(i + 1, "r" + i + "@w.test");
        }
        f.runUntil("all ten placed and sent", () -> {
            deliverAll();
            return f.dispatched.size() == 10;
        });
        assertThat(bySource("ip1")).as("day 1: 3 for the warming source").isEqualTo(3);
        assertThat(bySource("ip2")).as("the rest by the warm one").isEqualTo(7);
        f.advance(1_000);
        f.runUntil("progress published", () -> !f.scheduler.warmupState().sources().isEmpty()
                && f.scheduler.warmupState().sources().get(0).sent().getOrDefault("default", 0L) == 3);
        assertThat(f.scheduler.warmupState().sources().get(0).day()).isEqualTo(1);
    }

    @Test
    void shouldDeferToTheNextUtcDayWhenEverySourceIsCappedAndNeverBounce() throws Exception {
        String warm = ", warmup: {schedule: slow, start: 2026-12-07}";
        start(warm, warm, null);
        for (int i = 0; i < 10; i++) {
            f.accept(i + 1, "r" + i + "@w.test");
        }
        f.runUntil("six placed", () -> {
            deliverAll();
            return f.dispatched.size() == 6;
        });
        f.runUntil("the other four deferred", () -> f.journalled.stream().filter(j -> j.contains("/deferred/"))
                .count() == 4);
        assertThat(f.events).filteredOn(e -> e.type() == io.sluice.events.EventType.DEFERRED)
                .allMatch(e -> e.text().contains("warm-up"));
        long nextDay = WarmupCaps.nextUtcDay(MORNING);
        assertThat(f.journalled).filteredOn(j -> j.contains("/deferred/")).allSatisfy(j -> {
            long due = Long.parseLong(j.substring(j.lastIndexOf('/') + 1));
            assertThat(due).isBetween(nextDay, nextDay + 300_000);
        });

        f.clock.set(nextDay + 301_000); // day 2 (the day before was clean): 6 each
        f.runUntil("the deferred four go on the next day", () -> {
            deliverAll();
            return f.dispatched.size() == 10;
        });
        assertThat(f.givenUp).as("nothing bounced for warm-up").isEmpty();
    }

    @Test
    void shouldHoldAStartStillToComeAtDayOne() throws Exception {
        start(", warmup: {schedule: slow, start: 2026-12-20}", "", null);
        f.runUntil("published", () -> !f.scheduler.warmupState().sources().isEmpty());
        assertThat(f.scheduler.warmupState().sources().get(0).day()).isEqualTo(1);
        f.clock.set(java.time.Instant.parse("2026-12-15T12:00:00Z").toEpochMilli()); // days pass before the start
        f.runUntil("a new day published", () -> f.scheduler.warmupState().sources().get(0).utcDay()
                == Math.floorDiv(f.clock.get(), 86_400_000L));
        assertThat(f.scheduler.warmupState().sources().get(0).day()).as("still day 1 before the start").isEqualTo(1);
        f.clock.set(java.time.Instant.parse("2026-12-22T12:00:00Z").toEpochMilli());
        f.runUntil("after the start", () -> f.scheduler.warmupState().sources().get(0).utcDay()
                == Math.floorDiv(f.clock.get(), 86_400_000L));
        assertThat(f.scheduler.warmupState().sources().get(0).day()).as("two days after the start").isEqualTo(3);
    }

    @Test
    void shouldHoldTheDayAfterADayWithTooManyDeferrals() throws Exception {
        start(", warmup: {schedule: slow, start: 2026-12-07}", "", null);
        for (int i = 0; i < 2; i++) {
            f.accept(i + 1, "r" + i + "@w.test");
        }
        f.runUntil("two sent", () -> f.dispatched.size() == 2);
        for (DeliveryTask t : f.dispatched) { // every transaction deferred by the next hop
            f.report(t, TaskResult.SiteSignal.CONNECTED, RecipientResult.temporary(451, "4.7.1", "try later", false));
        }
        f.settle();
        f.clock.set(WarmupCaps.nextUtcDay(MORNING) + 1_000);
        f.advance(2_000);
        f.runUntil("published after the new day", () -> f.scheduler.warmupState().sources().get(0).utcDay()
                == Math.floorDiv(f.clock.get(), 86_400_000L));
        assertThat(f.scheduler.warmupState().sources().get(0).day()).as("held at day 1").isEqualTo(1);
    }

    @Test
    void shouldKeepTodaysCountsAcrossARestartFromTheStateFile() throws Exception {
        long today = Math.floorDiv(MORNING, 86_400_000L);
        WarmupState saved = new WarmupState(List.of(new WarmupState.Source("ip1", "slow", "2026-12-07", 1, today,
                3, 0, 0, java.util.Map.of("default", 3L), java.util.Map.of(), false)));
        saved.write(dir);
        WarmupState read = WarmupState.read(dir);
        assertThat(read.sources().get(0).sent()).containsEntry("default", 3L);

        start(", warmup: {schedule: slow, start: 2026-12-07}", "", read);
        for (int i = 0; i < 4; i++) {
            f.accept(i + 1, "r" + i + "@w.test");
        }
        f.runUntil("four sent", () -> {
            deliverAll();
            return f.dispatched.size() == 4;
        });
        assertThat(bySource("ip1")).as("today's 3 were used before the restart").isZero();
    }

    @Test
    void shouldTakeABlockedSourceOutOfRotationAndBringItBackOnAProbe() throws Exception {
        start("", "", null);
        int id = 0;
        // ip1's transactions are blocked (550 5.7.1), ip2's delivered, until ip1 leaves rotation
        while (f.scheduler.rotation().isEmpty()) {
            f.accept(++id, "r" + id + "@w.test");
            int expected = id;
            f.runUntil("message " + id + " sent", () -> f.dispatched.size() == expected);
            DeliveryTask t = f.dispatched.get(id - 1);
            if (t.source().equals("ip1")) {
                f.report(t, TaskResult.SiteSignal.CONNECTED, RecipientResult.permanent(550, "5.7.1",
                        "blocked: poor reputation"));
            } else {
                f.delivered(t);
            }
            f.settle();
            assertThat(id).as("left rotation after a few blocks").isLessThan(20);
        }
        assertThat(f.scheduler.rotation()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo("ip1");
            assertThat(r.provider()).isEqualTo("default");
        });
        assertThat(f.events).anyMatch(e -> e.type() == io.sluice.events.EventType.SHAPING
                && "rotated_out".equals(e.action()) && "ip1".equals(e.source()));
        int before = f.dispatched.size();
        for (int i = 0; i < 6; i++) {
            f.accept(++id, "r" + id + "@w.test");
        }
        f.runUntil("six more sent", () -> {
            deliverFrom(before);
            return f.dispatched.size() == before + 6;
        });
        assertThat(f.dispatched.subList(before, before + 6)).as("all through ip2 while ip1 is out")
                .allMatch(t -> t.source().equals("ip2"));

        f.advance(600_001); // the cool-down is over: ip1's next message is its probe, and it goes through
        int probeAt = f.dispatched.size();
        for (int i = 0; i < 4; i++) {
            f.accept(++id, "r" + id + "@w.test");
        }
        f.runUntil("four more sent", () -> {
            deliverFrom(probeAt);
            return f.dispatched.size() == probeAt + 4;
        });
        f.settle();
        assertThat(f.scheduler.rotation()).as("back in rotation").isEmpty();
        assertThat(f.events).anyMatch(e -> e.type() == io.sluice.events.EventType.SHAPING
                && "rotated_in".equals(e.action()));
    }

    private final java.util.Set<Long> reported = new java.util.HashSet<>();

    private void deliverFrom(int from) {
        for (int i = from; i < f.dispatched.size(); i++) {
            DeliveryTask t = f.dispatched.get(i);
            if (reported.add(t.taskId())) {
                f.delivered(t);
            }
        }
    }
}
