package io.sluice.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;

/**
 * The token of a one-click unsubscribe link ({@code <url_base>/u/<token>}; RFC 8058): who asked not to get mail from
 * whom, signed with the feedback key. Layout before base64url (no padding): version 1 (1 byte), the minute it was
 * issued (u32, minutes since the epoch), the recipient (UTF-8), a 0 byte, the envelope sender's domain (UTF-8), and
 * the first {@value #MAC_BYTES} bytes of the HMAC-SHA256 of all that (keyed for this purpose only). The link names
 * the recipient's own address in their own mail, so nothing is hidden, only made unforgeable: 128 MAC bits.
 * Thread-safe (a {@link Mac} per thread).
 */
public final class UnsubscribeToken {
    static final int MAC_BYTES = 16;
    /** Longest token accepted: an address and a domain of the longest lengths SMTP allows, encoded. */
    public static final int MAX_CHARS = 1024;
    private static final int VERSION = 1;
    private static final byte[] PURPOSE = "sluice-unsubscribe-link-v1".getBytes(StandardCharsets.US_ASCII);

    /** What a verified token says. */
    public record Claim(String recipient, String senderDomain, long issuedAtMillis) {
    }

    private final HmacKey key;

    /** {@code secret}: the feedback key's bytes (at least 16). */
    public UnsubscribeToken(byte[] secret) {
        this.key = new HmacKey(secret);
    }

    /** The token for {@code recipient} of mail from {@code senderDomain}, issued at {@code nowMillis}. */
    public String encode(String recipient, String senderDomain, long nowMillis) {
        byte[] r = recipient.getBytes(StandardCharsets.UTF_8);
        byte[] d = senderDomain.getBytes(StandardCharsets.UTF_8);
        int payload = 1 + 4 + r.length + 1 + d.length;
        byte[] out = new byte[payload + MAC_BYTES];
        out[0] = VERSION;
        long minutes = nowMillis / 60_000;
        for (int i = 0; i < 4; i++) {
            out[1 + i] = (byte) (minutes >>> (24 - 8 * i));
        }
        System.arraycopy(r, 0, out, 5, r.length);
        System.arraycopy(d, 0, out, 6 + r.length, d.length);
        System.arraycopy(mac(out, payload), 0, out, payload, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** What {@code token} says when this key signed it; null when it is forged, damaged or too long. */
    public Claim verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_CHARS) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int payload = raw.length - MAC_BYTES;
        if (payload < 7 || raw[0] != VERSION) {
            return null;
        }
        if (!MessageDigest.isEqual(mac(raw, payload), Arrays.copyOfRange(raw, payload, raw.length))) {
            return null;
        }
        int zero = -1;
        for (int i = 5; i < payload; i++) {
            if (raw[i] == 0) {
                zero = i;
                break;
            }
        }
        if (zero < 6) {
            return null;
        }
        long minutes = 0;
        for (int i = 0; i < 4; i++) {
            minutes = (minutes << 8) | (raw[1 + i] & 0xff);
        }
        return new Claim(new String(raw, 5, zero - 5, StandardCharsets.UTF_8),
                new String(raw, zero + 1, payload - zero - 1, StandardCharsets.UTF_8), minutes * 60_000);
    }

    private byte[] mac(byte[] bytes, int length) {
        Mac mac = key.mac();
        mac.update(PURPOSE);
        mac.update(bytes, 0, length);
        return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    }
}
