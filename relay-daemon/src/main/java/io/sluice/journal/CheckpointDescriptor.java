package io.sluice.journal;

/**
 * Layout of the three CHECKPOINT records in {@code state/}: a snapshot of the pending set, so recovery replays
 * only what came after it. A snapshot is BEGIN, zero or more PARTs, END, written back to back by the single
 * writer with nothing in between, so it reflects exactly the state records before BEGIN. Only a snapshot with
 * its END counts; a crash mid-snapshot leaves a BEGIN/PARTs that recovery skips.
 *
 * <pre>
 * CHECKPOINT_BEGIN (48 bytes)
 *  +---------------+---------------+-------------------------------+
 *  | type = 0x12   |  version = 5  |        reserved (0)           |  0
 *  +---------------+---------------+-------------------------------+
 *  |                         reserved (0)                          |  4
 *  +---------------------------------------------------------------+
 *  |                     checkpoint sequence (i64)                 |  8
 *  |                     time, epoch millis (i64)                  | 16
 *  |                highest message id issued (i64)                | 24
 *  |                     pending messages (i64)                    | 32
 *  |                    pending recipients (i64)                   | 40
 *  +---------------------------------------------------------------+ 48
 *
 * CHECKPOINT_PART (16 bytes + entries; a part is closed once it passes {@link #PART_TARGET_BYTES})
 *  +---------------+---------------+-------------------------------+
 *  | type = 0x13   |  version = 5  |        reserved (0)           |  0
 *  +---------------+---------------+-------------------------------+
 *  |                          entry count                          |  4
 *  +---------------------------------------------------------------+
 *  |                     checkpoint sequence (i64)                 |  8
 *  +---------------------------------------------------------------+
 *  |  entries ...                                                 ... 16
 *
 *  entry:
 *  +---------------------------------------------------------------+
 *  |                         message id (i64)                      | +0
 *  |          bodies index (i64), after any relocation             | +8
 *  +-------------------------------+-------------------------------+
 *  |        recipient count        | flags (bit 0: retry words,    | +16
 *  |                               |  bit 1: route inputs)         |
 *  +-------------------------------+-------------------------------+
 *  |                    recipient block length                     | +20
 *  +---------------------------------------------------------------+
 *  |          received at, epoch millis (i64; version 3)           | +24
 *  +---------------------------------------------------------------+
 *  |  pending bitmap: ceil(count / 64) x i64, bit i of word i/64  ... +32 (+24 before version 3)
 *  |  set = recipient i still pending                              |
 *  +---------------------------------------------------------------+
 *  |  retry words, only if flags bit 0: count x i64, word i =     ...
 *  |  attempts (u16) << 48 | next due epoch millis (48 bits),      |
 *  |  0 = recipient i never deferred (or no longer pending)        |
 *  +---------------------------------------------------------------+
 *  |  recipient block (as in QUEUED)                              ...
 *  +---------------------------------------------------------------+
 *  |  route inputs, only if flags bit 1 (version 4; as in QUEUED;  ...
 *  |  the From domain from version 5)
 *  +---------------------------------------------------------------+
 *
 * CHECKPOINT_END (40 bytes)
 *  +---------------+---------------+-------------------------------+
 *  | type = 0x14   |  version = 5  |        reserved (0)           |  0
 *  +---------------+---------------+-------------------------------+
 *  |                         reserved (0)                          |  4
 *  +---------------------------------------------------------------+
 *  |                     checkpoint sequence (i64)                 |  8
 *  |                  state index of the BEGIN (i64)               | 16
 *  |                     pending messages (i64)                    | 24
 *  |                    pending recipients (i64)                   | 32
 *  +---------------------------------------------------------------+ 40
 * </pre>
 *
 * Version 2 added the entry flags and retry words; in version 1 the flags field is reserved (0) and no retry words
 * exist, so a version 1 checkpoint still loads, with no recipient deferred. Version 3 added the received time;
 * entries of versions 1 and 2 get the id's time floor ({@link MessageIds#timeFloorMillis}). Version 4 added the route
 * inputs (flag bit 1; absent for inputs that are unknown); older entries read as unknown. Version 5 (written now)
 * added the From domain to them; older entries read without one.
 * Each record of a
 * checkpoint carries its own version. Recovery checks that the sequence matches in every record and that the
 * counts in BEGIN, END and the entries agree; otherwise it falls back to replaying {@code state/} from the start.
 */
public final class CheckpointDescriptor {
    public static final int SEQUENCE_OFFSET = 8;

    public static final int BEGIN_TIME_OFFSET = 16;
    public static final int BEGIN_HIGHEST_ID_OFFSET = 24;
    public static final int BEGIN_MESSAGES_OFFSET = 32;
    public static final int BEGIN_RECIPIENTS_OFFSET = 40;
    public static final int BEGIN_LENGTH = 48;

    public static final int PART_ENTRY_COUNT_OFFSET = 4;
    public static final int PART_ENTRIES_OFFSET = 16;
    /** A part is closed once its entries pass this size, keeping every excerpt far below Chronicle's limit. */
    public static final int PART_TARGET_BYTES = 1 << 20;

    public static final int ENTRY_MESSAGE_ID_OFFSET = 0;
    public static final int ENTRY_BODIES_INDEX_OFFSET = 8;
    public static final int ENTRY_RECIPIENT_COUNT_OFFSET = 16;
    public static final int ENTRY_FLAGS_OFFSET = 18;
    public static final int ENTRY_BLOCK_LENGTH_OFFSET = 20;
    /** Entry flag (version 2): retry words follow the pending bitmap. */
    public static final int ENTRY_FLAG_RETRIES = 1;
    /** Entry flag (version 4): route inputs follow the recipient block. */
    public static final int ENTRY_FLAG_ROUTE = 2;
    /** Version 3 on. */
    public static final int ENTRY_RECEIVED_AT_OFFSET = 24;
    public static final int ENTRY_BITMAP_OFFSET = 32;
    /** Where the bitmap starts in entries of versions 1 and 2. */
    public static final int V2_ENTRY_BITMAP_OFFSET = 24;

    public static final int END_BEGIN_INDEX_OFFSET = 16;
    public static final int END_MESSAGES_OFFSET = 24;
    public static final int END_RECIPIENTS_OFFSET = 32;
    public static final int END_LENGTH = 40;

    private CheckpointDescriptor() {
    }

    /** Offset of the pending bitmap within an entry of a checkpoint of {@code version}. */
    public static int entryBitmapOffset(int version) {
        return version >= 3 ? ENTRY_BITMAP_OFFSET : V2_ENTRY_BITMAP_OFFSET;
    }

    /** Words of the pending bitmap for {@code recipientCount} recipients. */
    public static int bitmapWords(int recipientCount) {
        return (recipientCount + 63) >>> 6;
    }
}
