package io.sluice.journal;

/**
 * Layout of an ACCEPTED record in {@code bodies/}: one acknowledged message, envelope and exact stored bytes.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  | type = 0x01   |  version = 2  |        recipient count        |  0
 *  +---------------+---------------+-------------------------------+
 *  |                 body offset (from record start)               |  4
 *  +---------------------------------------------------------------+
 *  |                          body length                          |  8
 *  +---------------------------------------------------------------+
 *  |                    recipient block length                     | 12
 *  +---------------------------------------------------------------+
 *  |                          message id                           | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   received at (epoch millis)                  | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |  listener        u16 length + UTF-8                          ... 32
 *  |  client address  u16 length + UTF-8                          ...
 *  |  HELO name       u16 length + UTF-8                          ...
 *  |  auth identity   u16 length + UTF-8   (length 0: no AUTH)    ...
 *  |  sender          u16 length + UTF-8   (length 0: null path)  ...
 *  |  routing tags    u16 length + UTF-8   ("name=value" lines,    ...
 *  |                  LF-separated; length 0: none)                ...
 *  |  recipient block: count x (u16 length + UTF-8)               ...
 *  +---------------+-----------------------------------------------+
 *  |  flags (u8)   |  (version 2; bit 0: SMTPUTF8 on MAIL)
 *  +---------------+-----------------------------------------------+
 *  |  body: the message bytes exactly as stored                   ... body offset
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The body comes last and its offset is in the fixed header, so a reader (delivery, dump) reaches it without
 * decoding the strings. The recipient block has the same encoding as in QUEUED (see {@link RecipientBlock}).
 * Version 2 added the flags byte; a version 1 record has none and reads as flags 0.
 * Limits: each string at most 65,535 UTF-8 bytes, 1 to 65,535 recipients, the whole record at most a quarter of
 * the {@code bodies/} block size (Chronicle's per-excerpt limit; see {@link Journal#maxAcceptedRecordBytes()}).
 */
public final class AcceptedDescriptor {
    public static final int RECIPIENT_COUNT_OFFSET = 2;
    public static final int BODY_OFFSET_OFFSET = 4;
    public static final int BODY_LENGTH_OFFSET = 8;
    public static final int RECIPIENT_BLOCK_LENGTH_OFFSET = 12;
    public static final int MESSAGE_ID_OFFSET = 16;
    public static final int RECEIVED_AT_OFFSET = 24;
    /** Where the variable-length strings start. */
    public static final int STRINGS_OFFSET = 32;
    /** Bytes of the fixed header. */
    public static final int HEADER_LENGTH = STRINGS_OFFSET;
    /** Length prefixes of the six strings before the recipient block. */
    public static final int STRING_PREFIXES_LENGTH = 6 * Utf8Field.LENGTH_PREFIX;
    /** Bytes of the flags field after the recipient block (version 2). */
    public static final int FLAGS_LENGTH = 1;
    /** Flag: the client declared {@code SMTPUTF8} on MAIL (RFC 6531). */
    public static final int FLAG_SMTPUTF8 = 0x01;

    private AcceptedDescriptor() {
    }
}
