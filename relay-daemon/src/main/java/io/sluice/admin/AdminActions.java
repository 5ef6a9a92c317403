package io.sluice.admin;

import java.util.concurrent.CompletableFuture;

/**
 * What the admin API's queue-steering routes ({@link QueueActionRoutes}) ask the daemon to do. The daemon implements
 * it: hands the action to the scheduler, waits for its answer, persists suspensions and holds, and records an
 * {@code admin} event.
 *
 * <p>Threading: called on the admin worker thread.
 */
public interface AdminActions {
    /**
     * Applies {@code action}; the future holds the JSON answer
     * {@code {"action","target","recipients","in_flight","dry_run"[,"until_millis"]}}, or fails with
     * {@link IllegalArgumentException} (a 400: the action does not apply to that target) or another exception
     * (a 503: the scheduler did not answer, or the state could not be persisted).
     */
    CompletableFuture<String> act(QueueAction action);
}
