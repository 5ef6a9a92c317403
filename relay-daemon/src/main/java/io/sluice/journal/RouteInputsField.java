package io.sluice.journal;

import io.sluice.model.RouteInputs;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The route inputs of a message as QUEUED records (version 3) and checkpoint entries (version 4) store them: four
 * {@link Utf8Field}s in the order sender domain, AUTH identity, listener, stream (each "" when absent); from QUEUED
 * version 4 and checkpoint version 5 a fifth, the header From's domain ({@link #FIELDS}, written now; readers pass how
 * many the record's version has). Each is a part of a string the ACCEPTED record already checked against the
 * 65,535-byte field limit (ingress reads no From domain longer than 255 characters, {@code util.FromDomain}), so
 * writing cannot fail on length. Writing allocates nothing; reading allocates the strings (recovery and tools only).
 * Stateless.
 */
final class RouteInputsField {
    private RouteInputsField() {
    }

    /** Fields written now. */
    static final int FIELDS = 5;
    /** Fields of QUEUED version 3 and checkpoint version 4. */
    static final int FIELDS_WITHOUT_FROM = 4;

    static void write(Bytes<?> out, RouteInputs r) {
        Utf8Field.write(out, r.senderDomain(), Utf8Field.utf8Length(r.senderDomain()));
        Utf8Field.write(out, r.authUser(), Utf8Field.utf8Length(r.authUser()));
        Utf8Field.write(out, r.listener(), Utf8Field.utf8Length(r.listener()));
        Utf8Field.write(out, r.stream(), Utf8Field.utf8Length(r.stream()));
        Utf8Field.write(out, r.fromDomain(), Utf8Field.utf8Length(r.fromDomain()));
    }

    /** Fields a QUEUED record of {@code version} (3 or later) has. */
    static int fieldsOfQueued(int version) {
        return version >= 4 ? FIELDS : FIELDS_WITHOUT_FROM;
    }

    /** Fields a checkpoint entry of {@code version} (4 or later) has. */
    static int fieldsOfCheckpoint(int version) {
        return version >= 5 ? FIELDS : FIELDS_WITHOUT_FROM;
    }

    /**
     * Bytes the four fields take at absolute offset {@code at} (for readers that skip them); a record cut short
     * counts up to its end.
     */
    static int length(Bytes<?> in, long at, int fields) {
        long pos = at;
        for (int i = 0; i < fields && pos + Utf8Field.LENGTH_PREFIX <= in.readLimit(); i++) {
            pos += Utf8Field.LENGTH_PREFIX + in.readUnsignedShort(pos);
        }
        return (int) (Math.min(pos, in.readLimit()) - at);
    }

    /** Reads {@code fields} fields (4 or 5) at the read position, advancing past them. */
    static RouteInputs read(Bytes<?> in, int fields) {
        String domain = Utf8Field.read(in);
        String auth = Utf8Field.read(in);
        String listener = Utf8Field.read(in);
        String stream = Utf8Field.read(in);
        String from = fields >= FIELDS ? Utf8Field.read(in) : "";
        return new RouteInputs(domain, auth, listener, stream, from);
    }
}
