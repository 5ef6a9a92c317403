package io.sluice.journal;

import io.sluice.model.BounceReason;

/**
 * Layout of an OUTCOME record in {@code state/}: one recipient of one message reached its final outcome. At most
 * one per (message, recipient): the writer drops an outcome for a recipient that is not pending.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  | type = 0x11   |  version = 2  |        recipient index        |  0
 *  +---------------+---------------+-------------------------------+
 *  | outcome code  | bounce reason |         reserved (0)          |  4
 *  +---------------+---------------+-------------------------------+
 *  |                          message id                           |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      time (epoch millis)                      | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+ 24
 * </pre>
 *
 * Outcome codes are {@link OutcomeCode#code()}; the bounce reason is {@link BounceReason#code()} (version 2; a
 * version 1 record's byte is reserved, 0, and reads as {@link BounceReason#UNDEFINED}).
 */
public final class OutcomeDescriptor {
    public static final int RECIPIENT_INDEX_OFFSET = 2;
    public static final int OUTCOME_CODE_OFFSET = 4;
    public static final int REASON_OFFSET = 5;
    public static final int MESSAGE_ID_OFFSET = 8;
    public static final int TIME_OFFSET = 16;
    /** Bytes of the whole record. */
    public static final int LENGTH = 24;

    private OutcomeDescriptor() {
    }

    /** The bounce reason of the OUTCOME record of {@code version} at {@code start} in {@code b}. */
    static BounceReason reason(net.openhft.chronicle.bytes.Bytes<?> b, long start, int version) {
        return version < 2 ? BounceReason.UNDEFINED : BounceReason.ofCode(b.readUnsignedByte(start + REASON_OFFSET));
    }
}
