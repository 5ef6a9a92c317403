package io.sluice.smtp.codec;

/**
 * What the decoder reports when a DATA section has been read to its {@code <CRLF>.<CRLF>}.
 *
 * <p>The message text itself was written into the target buffer given to
 * {@link SmtpServerDecoder#startData}. Any status but {@link #COMPLETE} means the text is incomplete and must be
 * refused; the decoder stopped storing text when it found the problem but kept reading to the terminator, so the
 * session stays in step with the client.
 */
public enum DataResult {
    COMPLETE,
    /** More than the message size limit. */
    TOO_BIG,
    /** A line exceeded the text line limit. */
    LINE_TOO_LONG,
    /** A bare LF or bare CR, with {@code smtp.bare_lf: reject}. */
    BARE_LINE_ENDING,
    /** A NUL octet. */
    NUL
}
