package io.sluice.util;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An ordered backlog in front of a stage that may refuse (a bounded queue's {@code offer}): what the stage refuses
 * is kept, in order, and offered again by {@link #flush}; while anything waits, later items queue behind it, so
 * nothing overtakes what came before it (a recipient's DEFERRED never passes its OUTCOME) and nothing is dropped.
 *
 * <p>Use: {@link #offer} with an item that exists anyway; on a hot path where building the item would allocate,
 * try the stage directly while {@link #isEmpty} and {@link #add} the item only when it refused. Call {@link #flush}
 * once per cycle of the owning loop.
 *
 * <p>Threading: one owner thread (the stage's loop that produces the items). Memory: unbounded here; the owner's
 * own input limits bound it (e.g. the pending-recipient back-pressure at ingress bounds the messages that can wait).
 * Allocates only while something waits.
 *
 * @param <T> the waiting item
 */
public final class OrderedBacklog<T> {
    private final Predicate<? super T> stage;
    private final ArrayDeque<T> waiting = new ArrayDeque<>();

    /** @param stage offers one item to the next stage: true when taken, false when refused (kept here) */
    public OrderedBacklog(Predicate<? super T> stage) {
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    /** Offers {@code item} now if nothing waits, else (or if refused) keeps it behind what waits. */
    public void offer(T item) {
        if (!waiting.isEmpty() || !stage.test(item)) {
            waiting.addLast(item);
        }
    }

    /** True when nothing waits: the caller may offer to the stage directly. */
    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Keeps {@code item} at the end without offering it (the caller's direct offer was refused). */
    public void add(T item) {
        waiting.addLast(Objects.requireNonNull(item, "item"));
    }

    /** Offers waiting items in order until the stage refuses one; returns how many it took. */
    public int flush() {
        int n = 0;
        T next;
        while ((next = waiting.peekFirst()) != null && stage.test(next)) {
            waiting.pollFirst();
            n++;
        }
        return n;
    }

    /** Items waiting. */
    public int size() {
        return waiting.size();
    }
}
