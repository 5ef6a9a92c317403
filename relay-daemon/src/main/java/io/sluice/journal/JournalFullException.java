package io.sluice.journal;

/**
 * The journal's disk has no room for a write, found before anything was written ({@link SpaceReservation}): the
 * message is refused ({@code 452 4.3.1} to the final dot) and the writer goes on, unlike a fault while writing,
 * which stops it ({@link JournalWriter#failure()}).
 */
public final class JournalFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JournalFullException(String message) {
        super(message, null, false, false); // no stack trace: expected while the disk is full, per message
    }
}
