package io.sluice.config;

import java.time.Duration;

/**
 * Queue limits and the scheduler's site-health and restart timing ({@code queue} in sluice.yaml).
 *
 * @param maxPendingRecipients above this many pending recipients, MAIL and RCPT get 452 4.3.1
 *                             ({@code max_pending_recipients}, default 5,000,000)
 * @param deadSiteFailures     connection attempts in a row that must fail before a site is marked dead: its mail is
 *                             held and one probe connection is tried at growing intervals
 *                             ({@code dead_site_failures}, default 3)
 * @param deadSiteFirstProbe   first probe of a dead site after it died; each failed probe doubles the wait
 *                             ({@code dead_site_first_probe}, default 1m)
 * @param deadSiteMaxProbe     longest wait between probes ({@code dead_site_max_probe}, default 1h)
 * @param restartSpread        after a restart, pending mail that was not waiting for a retry is spread uniformly over
 *                             this window instead of being tried all at once ({@code restart_spread}, default 1m)
 * @param maxInFlight          delivery tasks (each one outbound connection in use) at once over all sites; sites
 *                             not known healthy share at most three quarters of them ({@code max_in_flight},
 *                             default 4096)
 */
public record QueueSettings(long maxPendingRecipients, int deadSiteFailures, Duration deadSiteFirstProbe,
                            Duration deadSiteMaxProbe, Duration restartSpread, int maxInFlight) {

    public static final long DEFAULT_MAX_PENDING_RECIPIENTS = 5_000_000L;
    public static final int DEFAULT_DEAD_SITE_FAILURES = 3;
    public static final Duration DEFAULT_DEAD_SITE_FIRST_PROBE = Duration.ofMinutes(1);
    public static final Duration DEFAULT_DEAD_SITE_MAX_PROBE = Duration.ofHours(1);
    public static final Duration DEFAULT_RESTART_SPREAD = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_IN_FLIGHT = 4096;

    /** The defaults. */
    public static QueueSettings defaults() {
        return new QueueSettings(DEFAULT_MAX_PENDING_RECIPIENTS, DEFAULT_DEAD_SITE_FAILURES,
                DEFAULT_DEAD_SITE_FIRST_PROBE, DEFAULT_DEAD_SITE_MAX_PROBE, DEFAULT_RESTART_SPREAD, DEFAULT_MAX_IN_FLIGHT);
    }
}
