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
    /** {@code state/}: one recipient failed temporarily and waits for a retry, see {@link DeferredDescriptor}. */
    public static final int TYPE_DEFERRED = 0x15;
    /** {@code state/}: a pending message's ACCEPTED record was copied to the head, see {@link RelocatedDescriptor}. */
    public static final int TYPE_RELOCATED = 0x16;

    /**
     * The version this code writes for every record type except ACCEPTED, QUEUED, OUTCOME, DEFERRED and the
     * checkpoint records.
     */
    public static final int VERSION = 1;
    /**
     * The version this code writes for OUTCOME: 2 added the bounce reason (a {@code model.BounceReason} code, in
     * what was a reserved byte). Version 1 records are still read, with reason {@code undefined}.
     */
    public static final int OUTCOME_VERSION = 2;
    /**
     * The version this code writes for ACCEPTED: 2 added the flags byte (SMTPUTF8). Version 1 records are still
     * read, with no flags.
     */
    public static final int ACCEPTED_VERSION = 2;
    /**
     * The version this code writes for DEFERRED: 2 added the MX host after the reply text, 3 the bounce reason after
     * the MX host. Older records are still read, without them (reason {@code undefined}).
     */
    public static final int DEFERRED_VERSION = 3;
    /**
     * The version this code writes for QUEUED: 2 added the received time, 3 the route inputs, 4 the header From's
     * domain among them. Older records are still read; their messages get the time floor of their id as received
     * time ({@link MessageIds#timeFloorMillis}) before version 2, unknown route inputs ({@code RouteInputs.UNKNOWN})
     * before version 3, and no From domain before version 4.
     */
    public static final int QUEUED_VERSION = 4;
    /**
     * The version this code writes for CHECKPOINT BEGIN, PART and END: 2 added the retry schedule of deferred
     * recipients to PART entries, 3 the received time, 4 the route inputs, 5 the header From's domain among them.
     * Older versions are still read (their recipients have no retry state in version 1; their messages get the id's
     * time floor as received time before 3, unknown route inputs before 4 and no From domain before 5).
     */
    public static final int CHECKPOINT_VERSION = 5;

    private RecordHeader() {
    }

    /** The newest version of record {@code type} this code reads (and the one it writes). */
    public static int newestVersion(int type) {
        return switch (type) {
            case TYPE_CHECKPOINT_BEGIN, TYPE_CHECKPOINT_PART, TYPE_CHECKPOINT_END -> CHECKPOINT_VERSION;
            case TYPE_QUEUED -> QUEUED_VERSION;
            case TYPE_ACCEPTED -> ACCEPTED_VERSION;
            case TYPE_DEFERRED -> DEFERRED_VERSION;
            case TYPE_OUTCOME -> OUTCOME_VERSION;
            default -> VERSION;
        };
    }

    /** Throws {@link JournalFormatException} if {@code version} is newer than this code understands. */
    public static void checkVersion(int type, int version, long index) {
        int newest = newestVersion(type);
        if (version < 1 || version > newest) {
            throw new JournalFormatException(String.format(
                "record type 0x%02x at index 0x%x has version %d; this build reads up to %d",
                type, index, version, newest));
        }
    }
}
