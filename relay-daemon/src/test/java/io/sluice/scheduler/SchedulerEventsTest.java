package io.sluice.scheduler;

import static io.sluice.scheduler.SchedulerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.EventType;
import io.sluice.events.LifecycleEvent;
import io.sluice.journal.MessageIds;
import io.sluice.model.BounceReason;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery events the scheduler publishes with each decision (docs/events.md): delivered, bounced, deferred
 * and expired, one per recipient, with the MX host and source of the attempt that led there (none for DNS failures
 * and expiry), the reply, the attempt number and the latency. Driven like {@link SchedulerTest}.
 */
class SchedulerEventsTest {
    @TempDir
    Path dir;

    private SchedulerFixture f;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void shouldPublishDeliveredAndBouncedWithTheReplyAndTheMxHostOfTheAttempt() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(10));
        f.dns.mx("mixed.test", 10, "mx.mixed.test").a("mx.mixed.test", "127.0.0.9");
        f.start();
        f.accept(1, "a@mixed.test", "b@mixed.test");
        f.runUntil("dispatched", () -> f.dispatched.size() == 1);
        f.advance(5_000);
        f.reportVia(f.dispatched.get(0), "mx.mixed.test", "default",
                RecipientResult.delivered(250, "2.0.0", "2.0.0 Ok"),
                RecipientResult.permanent(550, "5.1.1", "5.1.1 no such user")
                        .classified(BounceReason.USER_UNKNOWN, true)); // as the delivery stage classifies it
        f.runUntil("both published", () -> f.events.size() == 2);

        LifecycleEvent delivered = f.events.get(0);
        assertThat(delivered).isEqualTo(LifecycleEvent.delivery(EventType.DELIVERED, T0 + 5_000,
                MessageIds.format(1), "a@mixed.test", "mx.mixed.test", "mx.mixed.test", "default", "default",
                "default", 250, "2.0.0", "2.0.0 Ok", 1, 5_000, null));
        LifecycleEvent bounced = f.events.get(1);
        assertThat(bounced).isEqualTo(LifecycleEvent.delivery(EventType.BOUNCED, T0 + 5_000, MessageIds.format(1),
                "b@mixed.test", "mx.mixed.test", "mx.mixed.test", "default", "default", "default", null, 550,
                "5.1.1", "5.1.1 no such user", 1, 5_000, null, BounceReason.USER_UNKNOWN, true));
    }

    @Test
    void shouldPublishDeferredWithTheAttemptsDurationThenExpiredWithoutMx() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(10));
        f.dns.mx("late.test", 10, "mx.late.test").a("mx.late.test", "127.0.0.11");
        f.start();
        f.accept(1, "a@late.test");
        f.runUntil("dispatched", () -> f.dispatched.size() == 1);
        f.advance(1_500);
        f.reportVia(f.dispatched.get(0), "mx.late.test", "192.0.2.7",
                RecipientResult.temporary(421, "4.3.2 busy").classified(BounceReason.SYSTEM_ERROR, false));
        f.runUntil("deferred", () -> f.events.size() == 1);
        assertThat(f.events.get(0)).isEqualTo(LifecycleEvent.delivery(EventType.DEFERRED, T0 + 1_500,
                MessageIds.format(1), "a@late.test", "mx.late.test", "mx.late.test", "192.0.2.7", "default",
                "default", null, 421, null, "4.3.2 busy", 1, 1_500, null, BounceReason.SYSTEM_ERROR, null));

        f.clock.set(T0 + SchedulerFixture.MAX_AGE);
        f.runUntil("expired", () -> f.events.size() == 2);
        LifecycleEvent expired = f.events.get(1);
        assertThat(expired.type()).isEqualTo(EventType.EXPIRED);
        assertThat(expired.recipient()).isEqualTo("a@late.test");
        assertThat(expired.mxHost()).as("no attempt led to the expiry").isNull();
        assertThat(expired.source()).isNull();
        assertThat(expired.route()).as("the route it was placed by").isEqualTo("default");
        assertThat(expired.replyCode()).as("no server replied: left out").isEqualTo(-1);
        assertThat(expired.enhancedStatus()).isEqualTo("4.4.7");
        assertThat(expired.attempt()).as("attempts made").isEqualTo(1);
        assertThat(expired.latencyMillis()).isEqualTo(SchedulerFixture.MAX_AGE);
        assertThat(expired.reason()).isEqualTo("expired");
        assertThat(expired.hard()).as("only bounces say hard or not").isNull();
    }

    @Test
    void shouldPublishDnsBouncesAndDeferralsWithoutMxHostOrAttemptDuration() throws Exception {
        f = new SchedulerFixture(dir, SchedulerFixture.options(10));
        f.dns.servfail("sf.test");
        f.start();
        f.accept(1, "a@missing.test");
        f.accept(2, "b@sf.test");
        f.runUntil("both published", () -> f.events.size() == 2);

        LifecycleEvent bounced = f.events.stream().filter(e -> e.type() == EventType.BOUNCED).findFirst()
                .orElseThrow();
        assertThat(bounced.id()).isEqualTo(MessageIds.format(1));
        assertThat(bounced.recipient()).isEqualTo("a@missing.test");
        assertThat(bounced.replyCode()).isEqualTo(550);
        assertThat(bounced.enhancedStatus()).isEqualTo("5.1.2");
        assertThat(bounced.site()).as("DNS named no site").isNull();
        assertThat(bounced.mxHost()).isNull();
        assertThat(bounced.attempt()).isEqualTo(1);
        assertThat(bounced.reason()).as("NXDOMAIN: Sluice's own finding, by its status").isEqualTo("hostunknown");
        assertThat(bounced.hard()).isTrue();

        LifecycleEvent deferred = f.events.stream().filter(e -> e.type() == EventType.DEFERRED).findFirst()
                .orElseThrow();
        assertThat(deferred.id()).isEqualTo(MessageIds.format(2));
        assertThat(deferred.recipient()).isEqualTo("b@sf.test");
        assertThat(deferred.mxHost()).isNull();
        assertThat(deferred.enhancedStatus()).startsWith("4.");
        assertThat(deferred.attempt()).isEqualTo(1);
        assertThat(deferred.latencyMillis()).as("no delivery attempt to time").isEqualTo(-1);
        assertThat(deferred.reason()).isEqualTo("networkerror");
        assertThat(f.dispatched).isEmpty();
    }
}
