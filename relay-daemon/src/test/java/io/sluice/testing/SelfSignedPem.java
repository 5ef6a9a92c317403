package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate and PKCS#8 key as PEM files, made by the real {@code openssl} tool (installed by
 * .ci/run), the way an operator would make one.
 */
public record SelfSignedPem(Path cert, Path key) {

    public static SelfSignedPem create(Path dir, String commonName) throws IOException, InterruptedException {
        return create(dir, commonName, null);
    }

    /**
     * As above, with subjectAltName DNS names ({@code dnsNames}, e.g. {@code mx1.test,*.mx.test}; null: none), in
     * files named after the common name.
     */
    public static SelfSignedPem create(Path dir, String commonName, String dnsNames)
            throws IOException, InterruptedException {
        String base = dnsNames == null ? "" : commonName.replace('*', '_') + ".";
        Path cert = dir.resolve(base + "cert.pem");
        Path key = dir.resolve(base + "key.pem");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("openssl", "req", "-x509", "-newkey",
                "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj",
                "/CN=" + commonName));
        if (dnsNames != null) {
            StringBuilder san = new StringBuilder("subjectAltName=");
            for (String n : dnsNames.split(",")) {
                san.append(san.length() > 15 ? "," : "").append("DNS:").append(n.strip());
            }
            cmd.addAll(java.util.List.of("-addext", san.toString()));
        }
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl failed: " + output);
        }
        return new SelfSignedPem(cert, key);
    }
}
