package io.sluice.journal;

/**
 * Layout of a RELOCATED record in {@code state/}: the compactor copied a pending message's ACCEPTED record, byte
 * for byte, from an old {@code bodies/} cycle to the head; from this record on, the message lives at the new
 * index. Written after the copy and before the old cycle is deleted, and made durable (synced) with the copy
 * before that deletion, so recovery never points at a deleted cycle.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  | type = 0x16   |  version = 1  |          reserved (0)         |  0
 *  +---------------+---------------+-------------------------------+
 *  |                          reserved (0)                         |  4
 *  +---------------------------------------------------------------+
 *  |                          message id                           |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               new bodies index of the ACCEPTED copy           | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          old bodies index (informational: dump, logs)         | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+ 32
 * </pre>
 *
 * A RELOCATED for a message that is not pending (it completed between the copy and this record, or its QUEUED
 * lies in a {@code state/} cycle retention deleted) changes nothing.
 */
public final class RelocatedDescriptor {
    public static final int MESSAGE_ID_OFFSET = 8;
    public static final int NEW_BODIES_INDEX_OFFSET = 16;
    public static final int OLD_BODIES_INDEX_OFFSET = 24;
    public static final int LENGTH = 32;

    private RelocatedDescriptor() {
    }
}
