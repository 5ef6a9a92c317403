package io.sluice.admin;

/**
 * Answers {@code GET /readyz}: is the daemon ready to take mail?
 *
 * <p>Contract: returns null when ready (listeners bound, journal writable, not shutting down), otherwise a short
 * human-readable reason such as {@code "journal not writable"}; the reason becomes the 503 body. Implemented by the
 * daemon. Called on the admin worker thread, never on an event loop, so it may do a cheap system call (statfs),
 * but it must not wait on other components for long: a load balancer is waiting.
 */
@FunctionalInterface
public interface ReadinessProbe {
    /** Null when ready, else why not. */
    String notReadyReason();
}
