package io.sluice.journal;

/**
 * Layout of an OUTCOME record in {@code state/}: one recipient of one message reached its final outcome. At most
 * one per (message, recipient): the writer drops an outcome for a recipient that is not pending.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  | type = 0x11   |  version = 1  |        recipient index        |  0
 *  +---------------+---------------+-------------------------------+
 *  | outcome code  |              reserved (0)                     |  4
 *  +---------------+-----------------------------------------------+
 *  |                          message id                           |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      time (epoch millis)                      | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+ 24
 * </pre>
 *
 * Outcome codes are {@link OutcomeCode#code()}.
 */
public final class OutcomeDescriptor {
    public static final int RECIPIENT_INDEX_OFFSET = 2;
    public static final int OUTCOME_CODE_OFFSET = 4;
    public static final int MESSAGE_ID_OFFSET = 8;
    public static final int TIME_OFFSET = 16;
    /** Bytes of the whole record. */
    public static final int LENGTH = 24;

    private OutcomeDescriptor() {
    }
}
