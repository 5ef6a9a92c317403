package io.sluice.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a DKIM private key: a PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}), RSA of at least
 * {@value #MIN_RSA_BITS} bits or Ed25519, and checks it is of the algorithm it is configured for. The only I/O of the
 * signing package. Each problem is an {@link IllegalArgumentException} in words an operator can act on (the config
 * loader adds file, line and key). Stateless.
 */
public final class DkimKeys {
    /** RFC 8301: verifiers must not accept RSA keys under 1024 bits; 2048 is what providers expect. */
    public static final int MIN_RSA_BITS = 1024;

    private DkimKeys() {
    }

    /** The private key in {@code file}, for {@code algorithm}. */
    public static PrivateKey load(Path file, DkimAlgorithm algorithm) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException(file + " is a PKCS#1 RSA key; Sluice reads PKCS#8: convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out new.pem");
        }
        if (text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException(file + " is encrypted; give an unencrypted PKCS#8 key (mode 0600)");
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " has no PEM PRIVATE KEY block (PKCS#8)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the PEM block is not base64: " + e.getMessage());
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(algorithm.keyAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not a " + algorithm.keyAlgorithm() + " key for "
                    + algorithm.label() + " (" + e.getMessage() + ")");
        }
        if (key instanceof RSAPrivateCrtKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException(file + ": an RSA key of " + rsa.getModulus().bitLength()
                    + " bits; receivers ignore signatures with less than " + MIN_RSA_BITS + " (use 2048)");
        }
        return key;
    }
}
