package io.sluice.signing;

import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * DKIM's Ed25519 signatures (RFC 8463) with Bouncy Castle's Ed25519 (its lightweight API; no security provider is
 * registered): about 40 µs a signature here against the JDK 17's 870 µs (docs/BENCHMARKS.md section 10). Ed25519 is
 * deterministic (RFC 8032), so both give the same bytes ({@code Ed25519SigningTest}). The JDK's key is read once into
 * Bouncy Castle's form ({@link #adopt}). Stateless and thread-safe.
 */
final class Ed25519Signing {

    private Ed25519Signing() {
    }

    /** The private key {@code key} (a JDK Ed25519 key) as Bouncy Castle signs with it. */
    static Ed25519PrivateKeyParameters adopt(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an Ed25519 private key with its bytes: " + key.getAlgorithm());
        }
        return new Ed25519PrivateKeyParameters(ed.getBytes().get(), 0);
    }

    /** The Ed25519 signature of {@code message} (for DKIM: the SHA-256 hash of the signed data). */
    static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }
}
