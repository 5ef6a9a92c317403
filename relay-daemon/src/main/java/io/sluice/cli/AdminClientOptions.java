package io.sluice.cli;

import io.sluice.config.AdminSettings;
import io.sluice.config.ConfigException;
import io.sluice.config.SettingsLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * The options every admin-API command shares (a Picocli mixin): {@code -c/--config FILE} ({@link ConfigLocation}:
 * else {@code $SLUICE_CONFIG}, else ./conf/sluice.yaml when present, else /etc/sluice/sluice.yaml), the daemon's own config,
 * from which the client takes {@code admin.address}, {@code admin.port} and {@code admin.token_file}. Reading the
 * same file as the daemon means an operator never passes a port or a token by hand (a token on a command line
 * would show in {@code ps}).
 *
 * <p>Failure: {@link #endpoint} throws {@link UsageProblem} (exit 2) when the config is invalid, admin is
 * disabled, or the token file is missing or unreadable (run as the service user or root).
 */
final class AdminClientOptions {
    @Mixin
    ConfigLocation location;

    /** Where and how to reach the admin API. */
    record Endpoint(String address, int port, String token) {
        @Override
        public String toString() {
            return "Endpoint[" + address + ":" + port + ", token redacted]";
        }
    }

    /** Thrown when the command cannot even be attempted; exit code 2. */
    static final class UsageProblem extends Exception {
        UsageProblem(String message) {
            super(message);
        }
    }

    Endpoint endpoint() throws UsageProblem {
        Path config = location.path();
        AdminSettings admin;
        try {
            // The admin section only: a broken shaping file must not keep an operator from status or resume.
            admin = SettingsLoader.loadAdmin(config);
        } catch (ConfigException e) {
            throw new UsageProblem(e.getMessage());
        } catch (RuntimeException e) {
            throw new UsageProblem(config + ": " + e.getMessage());
        }
        if (!admin.enabled()) {
            throw new UsageProblem(config + ": admin.enabled is false; the admin API is off");
        }
        if (admin.tokenFile() == null) {
            throw new UsageProblem(config + ": no admin.token_file; the admin API needs a bearer token");
        }
        String token;
        try {
            token = Files.readString(admin.tokenFile(), StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new UsageProblem(config + ": admin token file " + admin.tokenFile() + " does not exist; the"
                    + " daemon creates it at its first start (is it running with this config?)");
        } catch (IOException e) {
            throw new UsageProblem("cannot read admin token file " + admin.tokenFile() + " (" + e
                    + "); run as the service user or root");
        }
        return new Endpoint(admin.address(), admin.port(), token);
    }
}
