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

    /** One {@link SteeringCommand} on its way in, with the future the scheduler completes. */
    private record SteeringRequest(SteeringCommand command, CompletableFuture<SteeringResult> answer) {
    }

    private final ManyToOneConcurrentArrayQueue<SnapshotRequest> snapshotsIn =
            new ManyToOneConcurrentArrayQueue<>(MAX_SNAPSHOT_REQUESTS);
    private final ManyToOneConcurrentArrayQueue<SteeringRequest> steeringIn =
            new ManyToOneConcurrentArrayQueue<>(MAX_STEERING_REQUESTS);
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

    /** Answers at most one snapshot and one command. Scheduler thread; returns the work done. */
    int drain(long nowMillis) {
        now = nowMillis;
        return snapshotsIn.drain(onSnapshot, 1) + steeringIn.drain(onSteering, 1);
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
