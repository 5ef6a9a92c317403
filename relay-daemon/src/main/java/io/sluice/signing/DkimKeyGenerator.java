package io.sluice.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Makes a DKIM key pair: the private key as a PKCS#8 PEM file (mode 0600, never over an existing file) and the TXT
 * record that publishes the public key (RFC 6376 3.6.1; Ed25519's {@code p=} is the raw 32-byte key, RFC 8463).
 * Stateless.
 */
public final class DkimKeyGenerator {
    /** What {@code sluice dkim keygen} made. */
    public record Generated(Path file, String recordName, String record) {
    }

    private DkimKeyGenerator() {
    }

    /**
     * Writes a new key for {@code domain}/{@code selector} to {@code file}.
     *
     * @param rsaBits RSA key size (2048 or more); ignored for Ed25519
     * @throws IOException when {@code file} exists or cannot be written
     */
    public static Generated generate(String domain, String selector, DkimAlgorithm algorithm, int rsaBits, Path file)
            throws IOException {
        KeyPair keys;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm.keyAlgorithm());
            if (algorithm == DkimAlgorithm.RSA_SHA256) {
                g.initialize(rsaBits);
            }
            keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.keyAlgorithm() + " keys are not available", e);
        }
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " exists already; a new key never replaces one (choose a new selector)");
        }
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n",
                StandardCharsets.US_ASCII);
        return new Generated(file, selector + "._domainkey." + domain, record(algorithm, keys.getPublic()));
    }

    /** The TXT record publishing {@code key}: {@code v=DKIM1; k=...; p=...}. */
    public static String record(DkimAlgorithm algorithm, PublicKey key) {
        byte[] encoded = key.getEncoded();
        byte[] p = algorithm == DkimAlgorithm.ED25519_SHA256
                ? Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length) : encoded;
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + Base64.getEncoder().encodeToString(p);
    }
}
