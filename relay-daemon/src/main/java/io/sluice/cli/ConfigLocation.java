package io.sluice.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code -c/--config FILE} option every command that reads the daemon's config shares (a picocli mixin), and
 * where the config is when it is not given.
 *
 * <p>Order ({@link #find}): {@code -c/--config FILE}; else the environment variable {@value #ENV}; else
 * {@value #CHECKOUT_CONFIG} when it exists under the working directory (a source checkout or an unpacked release,
 * where {@code sluice run} and {@code sluice status} then need no flags); else {@value #SYSTEM_CONFIG} (what
 * scripts/install.sh installs). The first that is given wins even when that file does not exist, so a typo is
 * reported rather than silently replaced by another file. Stateless apart from the parsed option.
 */
final class ConfigLocation {
    static final String ENV = "SLUICE_CONFIG";
    static final String CHECKOUT_CONFIG = "conf/sluice.yaml";
    static final String SYSTEM_CONFIG = "/etc/sluice/sluice.yaml";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "the daemon's config file (default: $" + ENV + ", else ./" + CHECKOUT_CONFIG
                    + " when it exists, else " + SYSTEM_CONFIG + ")")
    Path explicit;

    /** The config file this invocation uses (see the class comment for the order). */
    Path path() {
        return find(explicit, System.getenv(ENV), Path.of(""));
    }

    /**
     * The config file, from an explicit option (null when not given), the value of {@value #ENV} (null or blank
     * when unset) and the working directory.
     */
    static Path find(Path explicit, String env, Path workingDir) {
        if (explicit != null) {
            return explicit;
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env.strip());
        }
        Path checkout = workingDir.resolve(CHECKOUT_CONFIG);
        if (Files.isRegularFile(checkout)) {
            return workingDir.toString().isEmpty() ? Path.of(CHECKOUT_CONFIG) : checkout;
        }
        return Path.of(SYSTEM_CONFIG);
    }
}
