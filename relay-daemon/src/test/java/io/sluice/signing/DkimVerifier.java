package io.sluice.signing;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's python3-dkim (an independent DKIM implementation) on a message: every signature must verify against
 * the TXT records given per {@code selector._domainkey.domain}. When python3-dkim is not installed the calling test
 * is skipped with a message, unless {@code SLUICE_REQUIRE_VERIFIERS} is set ({@code .ci/run} installs it and sets
 * it), where the test fails instead.
 */
public final class DkimVerifier {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private DkimVerifier() {
    }

    /** Skips (or, in CI, fails) when python3-dkim is missing. */
    public static void requireInstalled() throws Exception {
        boolean installed = Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import dkim, nacl"))
                .exit == 0;
        if (!installed && System.getenv("SLUICE_REQUIRE_VERIFIERS") != null) {
            throw new AssertionError("python3-dkim (and python3-nacl) are required: apt-get install python3-dkim");
        }
        assumeThat(installed).as("python3-dkim is not installed (apt-get install python3-dkim); skipping the"
                + " independent DKIM verification").isTrue();
    }

    /** The TXT record publishing {@code keys}'s public key for {@code algorithm}. */
    public static String record(DkimAlgorithm algorithm, KeyPair keys) {
        return DkimKeyGenerator.record(algorithm, keys.getPublic());
    }

    /** The verifier's output; exit 0 when every signature passed. */
    public record Result(int exit, String output) {
    }

    /** Verifies {@code message} with {@code records} (name → TXT record). */
    public static Result verify(Path dir, byte[] message, Map<String, String> records) throws Exception {
        Path script = dir.resolve("dkim_verify.py");
        if (!Files.exists(script)) {
            try (InputStream in = DkimVerifier.class.getResourceAsStream("dkim_verify.py")) {
                Files.copy(in, script);
            }
        }
        Path file = Files.createTempFile(dir, "msg", ".eml");
        Files.write(file, message);
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), file.toString()));
        for (Map.Entry<String, String> r : records.entrySet()) {
            Path txt = Files.createTempFile(dir, "txt", ".txt");
            Files.writeString(txt, r.getValue(), StandardCharsets.US_ASCII);
            cmd.add(r.getKey() + "=" + txt);
        }
        return run(cmd);
    }

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + "(timed out)");
        }
        return new Result(p.exitValue(), out);
    }
}
