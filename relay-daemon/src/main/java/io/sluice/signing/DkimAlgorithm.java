package io.sluice.signing;

/** A DKIM signing algorithm ({@code a=}): RSA-SHA256 (RFC 6376) or Ed25519-SHA256 (RFC 8463). */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "RSA"),
    ED25519_SHA256("ed25519-sha256", "Ed25519");

    private final String label;
    private final String keyAlgorithm;

    DkimAlgorithm(String label, String keyAlgorithm) {
        this.label = label;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** The tag value, e.g. {@code rsa-sha256}. */
    public String label() {
        return label;
    }

    /** The JCA key algorithm of its keys ({@code RSA}, {@code Ed25519}). */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** The {@code k=} of its DNS record: {@code rsa} or {@code ed25519}. */
    public String keyType() {
        return this == RSA_SHA256 ? "rsa" : "ed25519";
    }

    /** The algorithm labelled {@code label}, or null. */
    public static DkimAlgorithm byLabel(String label) {
        for (DkimAlgorithm a : values()) {
            if (a.label.equals(label)) {
                return a;
            }
        }
        return null;
    }
}
