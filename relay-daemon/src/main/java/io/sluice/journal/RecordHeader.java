package io.sluice.journal;

/**
 * The first two bytes of every journal record, in all three queues, and the registry of record types.
 *
 * <pre>
 *   0                   1                   2
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 ...
 *  +---------------+---------------+-------------------
 *  |  record type  |    version    |  type-specific ...
 *  +---------------+---------------+-------------------
 * </pre>
 *
 * All multi-byte fields of all records are little-endian (Chronicle Bytes' native order on x86-64 and aarch64).
 * Each record is one Chronicle excerpt written as raw bytes (no wire field names). A reader refuses a record whose
 * version is newer than it knows ({@link #checkVersion}), so a downgrade never misreads mail. Type codes are part
 * of the on-disk format: never reuse one. Codes are distinct across queues so a misrouted record is detected.
 * Like postfix's {@code rec_type.h}: one place lists every record.
 */
public final class RecordHeader {
    /** Offset of the type byte. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 1;

    /** {@code bodies/}: a message as accepted, see {@link AcceptedDescriptor}. */
    public static final int TYPE_ACCEPTED = 0x01;
    /** {@code state/}: a message entered the queue, see {@link QueuedDescriptor}. */
    public static final int TYPE_QUEUED = 0x10;
    /** {@code state/}: one recipient reached its final outcome, see {@link OutcomeDescriptor}. */
    public static final int TYPE_OUTCOME = 0x11;
    /** {@code state/}: a pending-set snapshot starts, see {@link CheckpointDescriptor}. */
    public static final int TYPE_CHECKPOINT_BEGIN = 0x12;
    /** {@code state/}: part of a pending-set snapshot. */
    public static final int TYPE_CHECKPOINT_PART = 0x13;
    /** {@code state/}: a pending-set snapshot is complete. */
    public static final int TYPE_CHECKPOINT_END = 0x14;

    /** The version this code writes and the newest it reads. */
    public static final int VERSION = 1;

    private RecordHeader() {
    }

    /** Throws {@link JournalFormatException} if {@code version} is newer than this code understands. */
    public static void checkVersion(int type, int version, long index) {
        if (version < 1 || version > VERSION) {
            throw new JournalFormatException(String.format(
                "record type 0x%02x at index 0x%x has version %d; this build reads up to %d",
                type, index, version, VERSION));
        }
    }
}
