package io.sluice.admin;

import java.util.concurrent.CompletableFuture;

/**
 * What the admin API's read-only routes ({@link AdminApiRoutes}) ask the daemon, as JSON documents. The daemon
 * implements it (the admin package may not see the scheduler or the journal); answers that need another stage's
 * thread come back as futures, which the routes wait for with a timeout on the admin worker.
 *
 * <p>Threading: called on the admin worker thread; implementations must not block for long outside the futures.
 */
public interface AdminApi {
    /** The {@code status} document: version, uptime, listeners, queue totals, journal size, connections. */
    String status();

    /**
     * The {@code queue} document: totals and the largest domains and sites.
     *
     * @param domain restrict to this domain, or null
     * @param limit  most rows per list, 1 to {@link AdminApiRoutes#MAX_QUEUE_ROWS}
     */
    CompletableFuture<String> queue(String domain, int limit);

    /**
     * The {@code inspect} document of one pending message, or null in the future when no pending message has this
     * id.
     *
     * @param id a message id (16 hex digits, already checked)
     */
    CompletableFuture<String> inspect(long id);

    /**
     * The {@code shaping} document of one domain: its site, provider, limits, reply rules and the actions in force
     * per source (docs/shaping.md).
     *
     * @param domain a domain name (already checked)
     */
    CompletableFuture<String> shaping(String domain);

    /** The {@code warmup} document: each warming source's schedule, day, and today's caps and use per provider. */
    String warmup();
}
