package io.sluice.journal;

import io.sluice.model.RouteInputs;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The route inputs of a message as QUEUED records (version 3) and checkpoint entries (version 4) store them: four
 * {@link Utf8Field}s in the order sender domain, AUTH identity, listener, stream (each "" when absent). Each is a
 * part of a string the ACCEPTED record already checked against the 65,535-byte field limit, so writing cannot
 * fail on length. Writing allocates nothing; reading allocates the strings (recovery and tools only). Stateless.
 */
final class RouteInputsField {
    private RouteInputsField() {
    }

    static void write(Bytes<?> out, RouteInputs r) {
        Utf8Field.write(out, r.senderDomain(), Utf8Field.utf8Length(r.senderDomain()));
        Utf8Field.write(out, r.authUser(), Utf8Field.utf8Length(r.authUser()));
        Utf8Field.write(out, r.listener(), Utf8Field.utf8Length(r.listener()));
        Utf8Field.write(out, r.stream(), Utf8Field.utf8Length(r.stream()));
    }

    /**
     * Bytes the four fields take at absolute offset {@code at} (for readers that skip them); a record cut short
     * counts up to its end.
     */
    static int length(Bytes<?> in, long at) {
        long pos = at;
        for (int i = 0; i < 4 && pos + Utf8Field.LENGTH_PREFIX <= in.readLimit(); i++) {
            pos += Utf8Field.LENGTH_PREFIX + in.readUnsignedShort(pos);
        }
        return (int) (Math.min(pos, in.readLimit()) - at);
    }

    /** Reads the four fields at the read position, advancing past them. */
    static RouteInputs read(Bytes<?> in) {
        String domain = Utf8Field.read(in);
        String auth = Utf8Field.read(in);
        String listener = Utf8Field.read(in);
        String stream = Utf8Field.read(in);
        return new RouteInputs(domain, auth, listener, stream);
    }
}
