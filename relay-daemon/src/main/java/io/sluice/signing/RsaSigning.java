package io.sluice.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which implementation makes DKIM's RSA-SHA256 signatures: Conscrypt (BoringSSL through JNI; its jar carries the
 * native library for Linux, macOS and Windows on x86-64), about twice the JDK's speed for RSA-2048 (docs/BENCHMARKS.md
 * section 10), when it loads on this machine; else the JDK's own. Each key is handed to Conscrypt once
 * ({@link #adopt}) and checked: a signature it makes must verify with the JDK; a key that fails stays with the JDK.
 * RSA PKCS#1 v1.5 signatures are deterministic, so both give the same bytes. {@code -Dsluice.dkim.rsa=jdk} forces
 * the JDK (for comparisons). Ed25519 always uses the JDK. Chosen once, logged once; thread-safe.
 */
public final class RsaSigning {
    private static final Logger LOG = LoggerFactory.getLogger(RsaSigning.class);
    private static final String ALGORITHM = "SHA256withRSA";
    /** Conscrypt's provider, or null for the JDK's. */
    private static final Provider PROVIDER = load();

    /** A key and the provider that signs with it (null: the JDK's). */
    record Adopted(PrivateKey key, Provider provider) {
        /** A fresh signature object for this key's provider. */
        Signature signature() throws GeneralSecurityException {
            return provider == null ? Signature.getInstance(ALGORITHM) : Signature.getInstance(ALGORITHM, provider);
        }
    }

    private RsaSigning() {
    }

    /** "Conscrypt" or "JDK": what signs RSA keys adopted from now on. */
    public static String implementation() {
        return PROVIDER == null ? "JDK" : "Conscrypt";
    }

    private static Provider load() {
        if ("jdk".equals(System.getProperty("sluice.dkim.rsa"))) {
            LOG.info("DKIM RSA signatures: JDK (-Dsluice.dkim.rsa=jdk)");
            return null;
        }
        try {
            org.conscrypt.Conscrypt.checkAvailability(); // throws, with the reason, where the library cannot load
            Provider p = org.conscrypt.Conscrypt.newProvider();
            org.conscrypt.Conscrypt.Version v = org.conscrypt.Conscrypt.version(); // null without its properties
            LOG.info("DKIM RSA signatures: Conscrypt {} (BoringSSL)",
                    v == null ? "" : v.major() + "." + v.minor() + "." + v.patch());
            return p;
        } catch (LinkageError | RuntimeException e) {
            LOG.info("DKIM RSA signatures: JDK (Conscrypt's native library does not load here: {})", e.toString());
            return null;
        }
    }

    /** {@code key} (an RSA private key) with the provider that will sign with it; the JDK's when in doubt. */
    static Adopted adopt(PrivateKey key) {
        if (PROVIDER == null || !(key instanceof RSAPrivateCrtKey crt)) {
            return new Adopted(key, null);
        }
        try {
            PrivateKey native_ = KeyFactory.getInstance("RSA", PROVIDER)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
            Adopted adopted = new Adopted(native_, PROVIDER);
            byte[] probe = "sluice conscrypt probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = adopted.signature();
            s.initSign(native_);
            s.update(probe);
            byte[] sig = s.sign();
            PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            Signature check = Signature.getInstance(ALGORITHM);
            check.initVerify(pub);
            check.update(probe);
            if (!check.verify(sig)) {
                LOG.warn("Conscrypt's RSA signature did not verify with the JDK: this key signs with the JDK");
                return new Adopted(key, null);
            }
            return adopted;
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.warn("Conscrypt cannot sign with an RSA key of {} bits ({}): it signs with the JDK",
                    crt.getModulus() == null ? 0 : crt.getModulus().bitLength(), e.toString());
            return new Adopted(key, null);
        }
    }
}
