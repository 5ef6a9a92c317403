package io.sluice.model;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The feedback key as an HMAC-SHA256 key with one {@link Mac} per thread, for the signed feedback tokens
 * ({@link VerpCodec}, {@link UnsubscribeToken}). Refuses a key shorter than 16 bytes. Thread-safe.
 */
final class HmacKey {
    static final int MIN_BYTES = 16;

    private final ThreadLocal<Mac> macs;

    HmacKey(byte[] secret) {
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("the feedback key is too short: " + secret.length
                    + " bytes, at least " + MIN_BYTES + " are needed");
        }
        SecretKeySpec key = new SecretKeySpec(Arrays.copyOf(secret, secret.length), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    /** This thread's Mac, reset (ready for {@code update}). */
    Mac mac() {
        return macs.get();
    }
}
