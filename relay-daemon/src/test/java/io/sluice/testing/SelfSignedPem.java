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
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + commonName)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl failed: " + output);
        }
        return new SelfSignedPem(cert, key);
    }
}
