package io.sluice.journal;

/**
 * Receives a stored message body in chunks, in order, while a {@link BodiesReader} holds the record open. The
 * array is reused between calls: copy what must outlive the call.
 */
@FunctionalInterface
public interface BodyConsumer {
    void accept(byte[] chunk, int offset, int length);
}
