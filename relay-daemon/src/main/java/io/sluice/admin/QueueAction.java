package io.sluice.admin;

import java.util.Objects;

/**
 * One queue-steering request as the admin API received and checked it (the admin package may not see the
 * scheduler; the daemon turns this into the scheduler's own command). Immutable.
 *
 * @param action      {@code flush}, {@code suspend}, {@code resume}, {@code hold}, {@code release} or {@code bounce}
 * @param scope       {@code all}, {@code domain}, {@code site}, {@code id}, or {@code provider} (resume: its shaping
 *                    actions end)
 * @param name        the domain, site or provider for those scopes, else null
 * @param id          the message id for scope {@code id}, else 0
 * @param forMillis   suspend: how long, 0 for until resumed
 * @param reason      bounce: the operator's reason, else null
 * @param dryRun      bounce: only count
 * @param source      resume of a site or provider: only that source's shaping actions end; null for every source
 */
public record QueueAction(String action, String scope, String name, long id, long forMillis, String reason,
                          boolean dryRun, String source) {
    /** A request that names no source. */
    public QueueAction(String action, String scope, String name, long id, long forMillis, String reason,
                       boolean dryRun) {
        this(action, scope, name, id, forMillis, reason, dryRun, null);
    }

    public QueueAction {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(scope, "scope");
    }
}
