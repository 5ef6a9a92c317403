package io.sluice.journal;

/**
 * Layout of a QUEUED record in {@code state/}: the message's recipients entered the pending set. Written in the
 * same group commit as its ACCEPTED record and always after it.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  | type = 0x10   |  version = 4  |        recipient count        |  0
 *  +---------------+---------------+-------------------------------+
 *  |                    recipient block length                     |  4
 *  +---------------------------------------------------------------+
 *  |                          message id                           |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                bodies index of the ACCEPTED record            | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              received at, epoch millis (version 2)            | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |  recipient block: count x (u16 length + UTF-8)               ... 32 (24 in version 1)
 *  +---------------------------------------------------------------+
 *  |  route inputs (version 3): sender domain, AUTH identity,       ...
 *  |  listener, stream, From domain (version 4); each u16 length +
 *  |  UTF-8 ({@link RouteInputsField})
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Recipient {@code i} of OUTCOME records is the i-th entry of this block. The block is at most
 * {@link RecipientBlock#MAX_LENGTH} bytes. Version 1 has no received time: the block follows the bodies index, and
 * readers use {@link MessageIds#timeFloorMillis} of the id instead. Before version 3 there are no route inputs
 * (read as {@code RouteInputs.UNKNOWN}: only routes matching on recipient domains alone can select such mail).
 */
public final class QueuedDescriptor {
    public static final int RECIPIENT_COUNT_OFFSET = 2;
    public static final int RECIPIENT_BLOCK_LENGTH_OFFSET = 4;
    public static final int MESSAGE_ID_OFFSET = 8;
    public static final int BODIES_INDEX_OFFSET = 16;
    public static final int RECEIVED_AT_OFFSET = 24;
    public static final int RECIPIENT_BLOCK_OFFSET = 32;
    /** Where the recipient block starts in a version 1 record. */
    public static final int V1_RECIPIENT_BLOCK_OFFSET = 24;
    /** Bytes of the fixed header. */
    public static final int HEADER_LENGTH = RECIPIENT_BLOCK_OFFSET;

    private QueuedDescriptor() {
    }

    /** Offset of the recipient block in a record of {@code version}. */
    public static int recipientBlockOffset(int version) {
        return version >= 2 ? RECIPIENT_BLOCK_OFFSET : V1_RECIPIENT_BLOCK_OFFSET;
    }
}
