package io.sluice.scheduler;

import io.sluice.dns.SiteKey;
import java.util.Objects;

/**
 * The key of a ready queue and of its connection pool: the source that sends (its name in {@code sources}) and the
 * site it sends to (KumoMTA's {@code source->site}). One per {@link SiteState}, made once, so tasks carry it and
 * the delivery stage looks its pool up without allocating. Immutable; equality by both parts.
 */
public record ReadyKey(String source, SiteKey site) {
    /** The source name of the implicit source (no {@code sources} configured). */
    public static final String DEFAULT_SOURCE = "default";

    public ReadyKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(site, "site");
    }

    @Override
    public String toString() {
        return source + "->" + site;
    }
}
