package io.sluice.scheduler;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The operator's way into the scheduler (the admin API): queue snapshots ({@link QueueSummary}) and steering
 * commands ({@link QueueSteering}) travel through two small bounded MPSC queues and are answered on the scheduler
 * thread, one of each per cycle, by completing the caller's future. An operator's CLI is not a data path: a full
 * queue fails the future at once ({@link IllegalStateException}) instead of waiting, and a future never completes
 * while the agent is not running, so callers wait with a timeout.
 *
 * <p>Threading: {@link #snapshot} and {@link #steer} from any thread; {@link #drain} on the scheduler thread only.
 * Allocation: per request (the request and its future), never on the delivery path.
 */
final class OperatorRequests {
    /** Snapshot requests waiting at most; more are refused. */
    static final int MAX_SNAPSHOT_REQUESTS = 8;
    /** Steering commands waiting at most (flush, suspend, hold, bounce...); more are refused. */
    static final int MAX_STEERING_REQUESTS = 8;

    /** Ends shaping actions early (an operator's resume): provider or site, source or null for all. */
    @FunctionalInterface
    interface ShapingLift {
        int lift(String provider, String site, String source, long nowMillis);
    }

    /** One request to end shaping actions, with the future the scheduler completes with how many ended. */
    private record LiftRequest(String provider, String site, String source, CompletableFuture<Integer> answer) {
    }

    /** One {@link SteeringCommand} on its way in, with the future the scheduler completes. */
    private record SteeringRequest(SteeringCommand command, CompletableFuture<SteeringResult> answer) {
    }

    private final ManyToOneConcurrentArrayQueue<SnapshotRequest> snapshotsIn =
            new ManyToOneConcurrentArrayQueue<>(MAX_SNAPSHOT_REQUESTS);
    private final ManyToOneConcurrentArrayQueue<SteeringRequest> steeringIn =
            new ManyToOneConcurrentArrayQueue<>(MAX_STEERING_REQUESTS);
    private final ManyToOneConcurrentArrayQueue<LiftRequest> liftsIn =
            new ManyToOneConcurrentArrayQueue<>(MAX_STEERING_REQUESTS);
    private final Consumer<LiftRequest> onLift = this::onLift;
    private ShapingLift lifter = (p, site, s, now) -> 0;
    private final QueueSummary summary;
    private final QueueSteering steering;
    private final Runnable wakeUp;
    private final Consumer<SnapshotRequest> onSnapshot = this::onSnapshot;
    private final Consumer<SteeringRequest> onSteering = this::onSteering;
    private long now;

    OperatorRequests(QueueSummary summary, QueueSteering steering, Runnable wakeUp) {
        this.summary = summary;
        this.steering = steering;
        this.wakeUp = wakeUp;
    }

    /** A snapshot of the pending recipients of {@code domain} (null for all), at most {@code limit} rows a list. */
    CompletableFuture<QueueSnapshot> snapshot(String domain, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        var answer = new CompletableFuture<QueueSnapshot>();
        String lower = domain == null ? null : DomainTable.domainOf("@" + domain);
        if (snapshotsIn.offer(new SnapshotRequest(lower, limit, answer))) {
            wakeUp.run();
        } else {
            answer.completeExceptionally(new IllegalStateException("too many queue snapshot requests waiting"));
        }
        return answer;
    }

    /** Applies {@code command} at the scheduler's next cycle. */
    CompletableFuture<SteeringResult> steer(SteeringCommand command) {
        var answer = new CompletableFuture<SteeringResult>();
        if (steeringIn.offer(new SteeringRequest(Objects.requireNonNull(command, "command"), answer))) {
            wakeUp.run();
        } else {
            answer.completeExceptionally(new IllegalStateException("too many queue commands waiting"));
        }
        return answer;
    }

    /** Who ends shaping actions (set once, before the agent runs). */
    void lifter(ShapingLift next) {
        this.lifter = next;
    }

    /** Ends the shaping actions on a provider's or a site's paths at the next cycle; completes with how many. */
    CompletableFuture<Integer> lift(String provider, String site, String source) {
        var answer = new CompletableFuture<Integer>();
        if ((provider == null) == (site == null)) {
            throw new IllegalArgumentException("a provider or a site, not both");
        }
        if (liftsIn.offer(new LiftRequest(provider, site, source, answer))) {
            wakeUp.run();
        } else {
            answer.completeExceptionally(new IllegalStateException("too many queue commands waiting"));
        }
        return answer;
    }

    /** Answers at most one snapshot, one command and one lift. Scheduler thread; returns the work done. */
    int drain(long nowMillis) {
        now = nowMillis;
        return snapshotsIn.drain(onSnapshot, 1) + steeringIn.drain(onSteering, 1) + liftsIn.drain(onLift, 1);
    }

    private void onLift(LiftRequest request) {
        try {
            request.answer().complete(lifter.lift(request.provider(), request.site(), request.source(), now));
        } catch (RuntimeException e) {
            request.answer().completeExceptionally(e);
        }
    }

    private void onSnapshot(SnapshotRequest request) {
        try {
            request.answer().complete(summary.build(request, now));
        } catch (RuntimeException e) {
            request.answer().completeExceptionally(e);
        }
    }

    private void onSteering(SteeringRequest request) {
        try {
            request.answer().complete(steering.apply(request.command(), now));
        } catch (RuntimeException e) {
            request.answer().completeExceptionally(e);
        }
    }
}
