package io.sluice.testing;

import io.sluice.config.SettingsLoader;
import io.sluice.daemon.Daemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A real daemon on loopback for reload tests: the {@link TestDaemon} config plus an admin bearer token file
 * (mode 0600), started from the file so that a reload reads the same file again. Tests edit the file in place with
 * {@link #edit} and then reload.
 */
public final class ReloadFixture implements AutoCloseable {
    public static final String TOKEN = "reload-test-token-0123456789abcdef";

    public final Path config;
    public final Path tokenFile;
    public final Daemon daemon;

    private ReloadFixture(Path config, Path tokenFile, Daemon daemon) {
        this.config = config;
        this.tokenFile = tokenFile;
        this.daemon = daemon;
    }

    /** Writes the builder's config with {@code admin.token_file} added, and starts the daemon from that file. */
    public static ReloadFixture start(TestDaemon.Builder builder, Path dir) throws Exception {
        Path config = writeConfig(builder, dir);
        return new ReloadFixture(config, dir.resolve("admin.token"), Daemon.start(SettingsLoader.load(config)));
    }

    /** The builder's config with {@code admin.token_file} ({@code dir/admin.token}, mode 0600) added. */
    public static Path writeConfig(TestDaemon.Builder builder, Path dir) throws Exception {
        Path token = writeToken(dir.resolve("admin.token"), TOKEN);
        Path config = builder.writeConfig();
        String yaml = Files.readString(config, StandardCharsets.UTF_8);
        if (!yaml.contains("\nadmin:\n")) {
            throw new IllegalStateException("no admin section in\n" + yaml);
        }
        Files.writeString(config, yaml.replace("\nadmin:\n", "\nadmin:\n  token_file: " + token + "\n"),
                StandardCharsets.UTF_8);
        return config;
    }

    /** A token file readable by its owner only. */
    public static Path writeToken(Path file, String token) throws IOException {
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Replaces the only occurrence of {@code from} in the config file with {@code to}. */
    public void edit(String from, String to) throws IOException {
        edit(config, from, to);
    }

    /** Replaces the only occurrence of {@code from} in {@code file} with {@code to}. */
    public static void edit(Path file, String from, String to) throws IOException {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        int at = yaml.indexOf(from);
        if (at < 0 || yaml.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("'" + from + "' is not in " + file + " exactly once:\n" + yaml);
        }
        Files.writeString(file, yaml.replace(from, to), StandardCharsets.UTF_8);
    }

    /** The 1-based line of the config that contains {@code text}. */
    public int lineOf(String text) throws IOException {
        var lines = Files.readAllLines(config, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not in the config");
    }

    public int smtpPort() {
        return daemon.smtpPort(0);
    }

    public int adminPort() {
        return daemon.adminPort();
    }

    @Override
    public void close() {
        daemon.shutdown();
    }
}
