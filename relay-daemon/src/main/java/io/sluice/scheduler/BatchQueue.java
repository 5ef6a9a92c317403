package io.sluice.scheduler;

/** FIFO of {@link Batch}es linked through {@link Batch#next}, with counts kept as it changes (never scanned). */
final class BatchQueue {
    private Batch head;
    private Batch tail;
    private int batches;
    private long recipients;

    void addLast(Batch b) {
        b.next = null;
        if (tail == null) {
            head = b;
        } else {
            tail.next = b;
        }
        tail = b;
        batches++;
        recipients += b.size;
    }

    void addFirst(Batch b) {
        b.next = head;
        head = b;
        if (tail == null) {
            tail = b;
        }
        batches++;
        recipients += b.size;
    }

    Batch poll() {
        Batch b = head;
        if (b != null) {
            head = b.next;
            if (head == null) {
                tail = null;
            }
            b.next = null;
            batches--;
            recipients -= b.size;
        }
        return b;
    }

    /**
     * Unlinks every batch {@code match} accepts and hands it to {@code out}, keeping the others in order; one walk,
     * for operator commands only (never on the dispatch path).
     */
    void detachIf(java.util.function.Predicate<Batch> match, java.util.function.Consumer<Batch> out) {
        Batch prev = null;
        Batch b = head;
        while (b != null) {
            Batch next = b.next;
            if (match.test(b)) {
                if (prev == null) {
                    head = next;
                } else {
                    prev.next = next;
                }
                if (tail == b) {
                    tail = prev;
                }
                b.next = null;
                batches--;
                recipients -= b.size;
                out.accept(b);
            } else {
                prev = b;
            }
            b = next;
        }
    }

    /** The first batch (walk on through {@link Batch#next}), or null; for read-only passes. */
    Batch head() {
        return head;
    }

    boolean isEmpty() {
        return head == null;
    }

    int batches() {
        return batches;
    }

    long recipients() {
        return recipients;
    }
}
