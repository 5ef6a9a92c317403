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
 * Runs two independent DKIM implementations from Debian on a message, against the TXT records given per
 * {@code selector._domainkey.domain}: python3-dkim ({@link #verify}: every signature must verify) and OpenDKIM
 * ({@link #openDkim}: the filter's own test mode, {@code opendkim -t}, with the records as its {@code TestDNSData},
 * since {@code opendkim-testmsg} can only ask live DNS). When a verifier is not installed the calling test is skipped
 * with a message, unless {@code SLUICE_REQUIRE_VERIFIERS} is set ({@code .ci/run} installs both and sets it), where
 * the test fails instead.
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

    static final Path OPENDKIM = Path.of("/usr/sbin/opendkim");

    /** Skips (or, in CI, fails) when OpenDKIM is missing. */
    public static void requireOpenDkim() {
        boolean installed = Files.isExecutable(OPENDKIM);
        if (!installed && System.getenv("SLUICE_REQUIRE_VERIFIERS") != null) {
            throw new AssertionError("OpenDKIM is required: apt-get install opendkim");
        }
        assumeThat(installed).as("OpenDKIM is not installed (apt-get install opendkim); skipping the second"
                + " independent DKIM verification").isTrue();
    }

    /**
     * Verifies {@code message} with OpenDKIM's test mode; exit 0 when it reports "verification (...) succeeded"
     * (it judges the first signature it can evaluate; the output names the selector and domain).
     */
    public static Result openDkim(Path dir, byte[] message, Map<String, String> records) throws Exception {
        Path data = Files.createTempFile(dir, "opendkim-dns", ".txt");
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, String> r : records.entrySet()) {
            lines.append(r.getKey()).append(' ').append(r.getValue()).append('\n');
        }
        Files.writeString(data, lines, StandardCharsets.US_ASCII);
        Path conf = Files.createTempFile(dir, "opendkim", ".conf");
        Files.writeString(conf, "Mode v\nSyslog no\nTestDNSData file:" + data + "\n", StandardCharsets.US_ASCII);
        Path file = Files.createTempFile(dir, "msg", ".eml");
        Files.write(file, message);
        Result r = run(List.of(OPENDKIM.toString(), "-x", conf.toString(), "-t", file.toString()));
        boolean ok = r.exit == 0 && r.output.contains(") succeeded") && !r.output.contains("failed");
        return new Result(ok ? 0 : 1, r.output);
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
