package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scheduler.TaskResult.SiteSignal;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin {@code queue} snapshot ({@link Scheduler#requestSnapshot}): built on the scheduler thread (here the test
 * thread driving {@code doWork}), exact counts per domain and site wherever the batches are, oldest received time,
 * next retry, the domain filter and the row cap.
 */
class QueueSnapshotTest {
    @TempDir
    Path dir;

    private SchedulerFixture f;

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private QueueSnapshot snapshot(String domain, int limit) throws Exception {
        CompletableFuture<QueueSnapshot> answer = f.scheduler.requestSnapshot(domain, limit);
        assertThat(answer).as("answered by the scheduler thread, not the caller").isNotDone();
        f.runUntil("snapshot answered", answer::isDone);
        return answer.get(1, TimeUnit.SECONDS);
    }

    @Test
    void shouldCountRecipientsPerDomainAndSiteWhereverTheyAre() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(10));
        f.dns.mx("a.test", 10, "mx.shared.test").mx("b.test", 10, "mx.shared.test").a("mx.shared.test", "127.0.0.2");
        f.dns.mx("c.test", 10, "mx.c.test").a("mx.c.test", "127.0.0.3");
        f.start();
        f.refuseDispatch = true;
        long t0 = f.clock.get();
        f.accept(1, "x1@a.test", "x2@A.test");
        f.advance(1_000);
        f.accept(2, "y@a.test", "z@c.test");
        f.advance(1_000);
        f.accept(3, "p@b.test");
        f.accept(4, "q@b.test");
        f.runUntil("all ready", () -> f.scheduler.counters().readyRecipients() == 6);

        QueueSnapshot all = snapshot(null, 100);
        assertThat(all.totals()).isEqualTo(new QueueSnapshot.Totals(5, 6, 0, 0, 6, 0, 0, t0));
        assertThat(all.domainsTotal()).isEqualTo(3);
        assertThat(all.domains()).containsExactly(
                new QueueSnapshot.DomainRow("a.test", "mx.shared.test", 2, 3, 0, 0, 3, 0, t0, -1),
                new QueueSnapshot.DomainRow("b.test", "mx.shared.test", 2, 2, 0, 0, 2, 0, t0 + 2_000, -1),
                new QueueSnapshot.DomainRow("c.test", "mx.c.test", 1, 1, 0, 0, 1, 0, t0 + 1_000, -1));
        assertThat(all.sitesTotal()).isEqualTo(2);
        assertThat(all.sites()).containsExactly(
                new QueueSnapshot.SiteRow("mx.shared.test", "default", 2, 5, 5, 0, 0, false, -1, t0, 0, null, null, -1),
                new QueueSnapshot.SiteRow("mx.c.test", "default", 1, 1, 1, 0, 0, false, -1, t0 + 1_000, 0, null, null, -1));
        assertThat(all.routes()).as("by route and pool: the default route through the default pool")
                .containsExactly(new QueueSnapshot.RouteRow("default", "default", 5, 6, 0, 0, 6, 0, t0));

        // One task out, its recipient deferred: it moves from ready to in flight to a retry timer.
        f.refuseDispatch = false;
        f.runUntil("c.test dispatched", () -> f.dispatched.stream().anyMatch(t -> t.domain().equals("c.test")));
        f.refuseDispatch = true;
        DeliveryTask c = f.dispatched.stream().filter(t -> t.domain().equals("c.test")).findFirst().orElseThrow();
        f.report(c, SiteSignal.CONNECTED, RecipientResult.temporary(451, "4.7.1 greylisted"));
        f.runUntil("c.test scheduled", () -> f.scheduler.counters().scheduledRecipients() == 1);
        f.awaitJournalled(1);
        long due = Long.parseLong(f.journalled.get(0).split("/")[4]);

        QueueSnapshot onlyC = snapshot("C.Test", 100);
        assertThat(onlyC.domains()).containsExactly(
                new QueueSnapshot.DomainRow("c.test", "mx.c.test", 1, 1, 0, 1, 0, 0, t0 + 1_000, due));
        assertThat(onlyC.totals().recipients()).isEqualTo(1);
        assertThat(onlyC.totals().scheduled()).isEqualTo(1);
        assertThat(onlyC.sites()).extracting(QueueSnapshot.SiteRow::site).containsExactly("mx.c.test");
        assertThat(onlyC.routes()).containsExactly(
                new QueueSnapshot.RouteRow("default", "default", 1, 1, 0, 1, 0, 0, t0 + 1_000));
    }

    @Test
    void shouldCapRowsButCountEverythingInTheTotals() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(10));
        for (int i = 0; i < 5; i++) {
            f.dns.mx("d" + i + ".test", 10, "mx" + i + ".test").a("mx" + i + ".test", "127.0.0." + (10 + i));
        }
        f.start();
        f.refuseDispatch = true;
        long id = 1;
        for (int i = 0; i < 5; i++) {
            for (int n = 0; n <= i; n++) {
                f.accept(id++, "r" + n + "@d" + i + ".test");
            }
        }
        f.runUntil("all ready", () -> f.scheduler.counters().readyRecipients() == 15);

        QueueSnapshot top2 = snapshot(null, 2);
        assertThat(top2.domains()).extracting(QueueSnapshot.DomainRow::domain).containsExactly("d4.test", "d3.test");
        assertThat(top2.domains()).extracting(QueueSnapshot.DomainRow::recipients).containsExactly(5L, 4L);
        assertThat(top2.domainsTotal()).isEqualTo(5);
        assertThat(top2.sites()).hasSize(2);
        assertThat(top2.sitesTotal()).isEqualTo(5);
        assertThat(top2.totals().recipients()).isEqualTo(15);
        assertThat(snapshot("nowhere.test", 10).domains()).isEmpty();
    }
}
