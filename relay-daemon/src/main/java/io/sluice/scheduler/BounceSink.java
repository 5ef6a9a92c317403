package io.sluice.scheduler;

/**
 * Where given-up recipients (bounced or expired) go when DSNs are on: the sink takes over the recipient's OUTCOME.
 * It appends the DSN (if one is due: not for a null sender) to the journal first and the OUTCOME after it, so a
 * crash in between repeats the DSN after restart rather than losing it.
 *
 * <p>Contract: {@link #offer} is called on the scheduler thread and must not block; false means "full, not now",
 * and the scheduler keeps the recipient in an in-order backlog and offers it again on a later cycle (see
 * an {@code OrderedBacklog}). A sink that {@link #takesOutcomes does not take outcomes} is never offered anything:
 * the scheduler writes the OUTCOME itself (no DSN), which is what {@link #NONE} means.
 */
public interface BounceSink {
    /** No DSNs: the scheduler records outcomes itself. */
    BounceSink NONE = new BounceSink() {
        @Override
        public boolean takesOutcomes() {
            return false;
        }

        @Override
        public boolean offer(GivenUp failure) {
            throw new IllegalStateException("BounceSink.NONE takes no outcomes");
        }
    };

    /** Whether this sink writes the OUTCOME of every recipient offered to it. Constant for the sink's life. */
    boolean takesOutcomes();

    /** Takes over one given-up recipient. Scheduler thread; non-blocking; false if full. */
    boolean offer(GivenUp failure);
}
