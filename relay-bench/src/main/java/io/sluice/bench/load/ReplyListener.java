package io.sluice.bench.load;

/**
 * Receives complete SMTP replies from {@link ReplyDecoder}, on the channel's event loop. Codes are passed as
 * ints so a reply costs no allocation.
 */
public interface ReplyListener {

    /**
     * @param code              the three-digit reply code (of the last line of a multi-line reply)
     * @param offersPipelining  true if any line of this reply was the EHLO keyword PIPELINING
     */
    void onReply(int code, boolean offersPipelining);
}
