package io.sluice.smtp.server;

/**
 * The EHLO reply (RFC 5321 4.1.1.1) with the extensions Sluice offers: PIPELINING (RFC 2920), SIZE (RFC 1870),
 * STARTTLS (RFC 3207) only on a starttls listener before TLS, AUTH (RFC 4954) only when the listener allows it on
 * this connection, ENHANCEDSTATUSCODES (RFC 2034), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531). Pure.
 */
final class EhloReply {

    private EhloReply() {
    }

    static String text(String hostname, long maxMessageBytes, boolean offerStartTls, boolean offerAuth) {
        StringBuilder sb = new StringBuilder(200);
        sb.append("250-").append(hostname).append("\r\n");
        sb.append("250-PIPELINING\r\n");
        sb.append("250-SIZE ").append(maxMessageBytes).append("\r\n");
        if (offerStartTls) {
            sb.append("250-STARTTLS\r\n");
        }
        if (offerAuth) {
            sb.append("250-AUTH PLAIN LOGIN\r\n");
        }
        sb.append("250-ENHANCEDSTATUSCODES\r\n");
        sb.append("250-8BITMIME\r\n");
        sb.append("250 SMTPUTF8");
        return sb.toString();
    }
}
