package io.sluice.cli;

import io.sluice.signing.DkimAlgorithm;
import io.sluice.signing.DkimKeyGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice dkim keygen --domain D --selector S [--algorithm ed25519] [--bits 2048] [--out FILE]}: writes a new
 * DKIM private key (PKCS#8 PEM, mode 0600; never over an existing file) and prints the DNS TXT record to publish and
 * the {@code dkim} entry for sluice.yaml. Offline. Exit 0; 1 when the file exists or cannot be written; 2 on bad
 * usage.
 */
@Command(name = "dkim", mixinStandardHelpOptions = true, description = "DKIM keys.",
        subcommands = DkimCommand.Keygen.class)
final class DkimCommand {

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Write a new DKIM private key (PKCS#8 PEM, mode 0600) and print the DNS TXT record to"
                    + " publish and the dkim entry for sluice.yaml.")
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--domain", required = true, paramLabel = "DOMAIN", description = "the signing domain (d=)")
        String domain;

        @Option(names = "--selector", required = true, paramLabel = "SELECTOR",
                description = "the selector (s=), e.g. s2026a; a new one for each new key")
        String selector;

        @Option(names = "--algorithm", defaultValue = "rsa", paramLabel = "ALG",
                description = "rsa (rsa-sha256, the default) or ed25519 (ed25519-sha256)")
        String algorithm;

        @Option(names = "--bits", defaultValue = "2048", paramLabel = "N", description = "RSA key size (2048-4096)")
        int bits;

        @Option(names = "--out", paramLabel = "FILE",
                description = "where the key goes (default: DOMAIN.SELECTOR.pem in this directory)")
        Path out;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter outw = spec.commandLine().getOut();
            DkimAlgorithm alg = switch (algorithm.toLowerCase(Locale.ROOT)) {
                case "rsa", "rsa-sha256" -> DkimAlgorithm.RSA_SHA256;
                case "ed25519", "ed25519-sha256" -> DkimAlgorithm.ED25519_SHA256;
                default -> null;
            };
            if (alg == null) {
                err.println("sluice dkim keygen: --algorithm " + algorithm + ": give rsa or ed25519");
                return 2;
            }
            if (alg == DkimAlgorithm.RSA_SHA256 && (bits < 2048 || bits > 4096)) {
                err.println("sluice dkim keygen: --bits " + bits + ": give 2048 to 4096 (receivers distrust less)");
                return 2;
            }
            if (!selector.matches("[A-Za-z0-9][A-Za-z0-9-]{0,62}") || !domain.matches("[A-Za-z0-9.-]+\\.[A-Za-z]+")) {
                err.println("sluice dkim keygen: give a domain name and a selector of letters, digits and '-'");
                return 2;
            }
            String d = domain.toLowerCase(Locale.ROOT);
            String s = selector.toLowerCase(Locale.ROOT);
            Path file = out != null ? out : Path.of(d + "." + s + ".pem");
            DkimKeyGenerator.Generated g;
            try {
                g = DkimKeyGenerator.generate(d, s, alg, bits, file);
            } catch (IOException e) {
                err.println("sluice dkim keygen: " + e.getMessage());
                return 1;
            }
            outw.println("wrote " + g.file() + " (mode 0600)");
            outw.println();
            outw.println("publish this TXT record, then add the key to sluice.yaml and run sluice reload:");
            outw.println(g.recordName() + ". IN TXT " + quoted(g.record()));
            outw.println();
            outw.println("dkim:");
            outw.println("  - domain: " + d);
            outw.println("    selector: " + s);
            outw.println("    key_file: " + g.file().toAbsolutePath());
            outw.println("    algorithm: " + alg.label());
            outw.flush();
            return 0;
        }

        /** A TXT value as zone files take it: quoted strings of at most 255 characters (RFC 1035). */
        static String quoted(String value) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < value.length(); i += 250) {
                sb.append(i == 0 ? "" : " ").append('"').append(value, i, Math.min(value.length(), i + 250))
                        .append('"');
            }
            return sb.toString();
        }
    }
}
