package io.sluice.journal;

/**
 * Receives a stored message body while a {@link BodiesReader} holds the record open: copied at once into memory the
 * consumer names ({@link #addressFor}, one copy straight from the journal's mapped file), or else in chunks, in order
 * ({@link #accept}; the array is reused between calls: copy what must outlive the call).
 */
@FunctionalInterface
public interface BodyConsumer {
    void accept(byte[] chunk, int offset, int length);

    /**
     * The native address with room for the whole body ({@code length} octets), e.g. a direct buffer's writable
     * memory, to copy it there in one piece; 0 (the default) to take it in {@link #accept} chunks instead. The
     * address must stay valid until {@link #copied} is called, which follows at once.
     */
    default long addressFor(int length) {
        return 0;
    }

    /** The body's {@code length} octets were copied to the address {@link #addressFor} gave. */
    default void copied(int length) {
    }
}
