package io.sluice.scheduler;

import java.util.concurrent.CompletableFuture;

/**
 * One request for a {@link QueueSnapshot}, on its way from an admin thread to the scheduler thread through the
 * scheduler's bounded request queue; the scheduler completes {@link #answer} on its own thread.
 *
 * @param domain lower-case domain to restrict the snapshot to, or null for all
 * @param limit  most rows per list (at least 1)
 * @param answer completed by the scheduler with the snapshot, or exceptionally if building it failed
 */
record SnapshotRequest(String domain, int limit, CompletableFuture<QueueSnapshot> answer) {
}
