package io.sluice.cli;

import io.sluice.config.AdminSettings;
import io.sluice.config.ConfigException;
import io.sluice.config.SettingsLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code sluice reload [-c FILE]} (config found as {@link ConfigLocation} says): asks the running daemon to read its config file again and apply it
 * ({@code POST /admin/reload} on the loopback admin endpoint, with the bearer token from {@code admin.token_file}).
 * systemd's {@code ExecReload} runs it without arguments.
 *
 * <p>Reads only the {@code admin} section of FILE (so it reaches the daemon even when another section is broken,
 * and the daemon reports those errors). Prints {@code reloaded} or, on stderr, each error and each
 * {@code requires restart: <key>} line. Exit codes: 0 applied; 1 not applied (invalid file, a change that needs a
 * restart, or a broken admin section); 2 the daemon could not be asked (no token file, connection refused,
 * unexpected answer); 3 the token was refused (401/403), as for the other admin commands.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Make the running daemon read its config file again and apply it, all or nothing.",
                "Applies to new sessions, connections and delivery decisions; open ones are not dropped. "
                        + "Changes that need a restart (listener ports, journal.dir, ...) are reported as "
                        + "'requires restart: <key>' and nothing is applied.",
                "Exit status: 0 applied, 1 not applied (errors or restart needed), 2 daemon not reachable, "
                        + "3 token refused."})
final class ReloadCommand implements Callable<Integer> {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    @Mixin
    ConfigLocation location;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // picocli's writers (System.out/err unless the caller set others): tests capture them, not the daemon's log
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path config = location.path();
        AdminSettings admin;
        try {
            admin = SettingsLoader.loadAdmin(config);
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
            return 1;
        }
        if (!admin.enabled()) {
            err.println("sluice reload: " + config + ": admin.enabled is false; send SIGHUP instead"
                    + " (systemctl kill -s HUP sluice)");
            return 2;
        }
        if (admin.tokenFile() == null) {
            err.println("sluice reload: " + config + ": admin.token_file is not set; the admin API is off"
                    + " (set it, or send SIGHUP: systemctl kill -s HUP sluice)");
            return 2;
        }
        String token;
        try {
            token = Files.readString(admin.tokenFile(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            err.println("sluice reload: cannot read admin.token_file " + admin.tokenFile() + ": " + e);
            return 2;
        }
        AdminClient http = new AdminClient(new AdminClientOptions.Endpoint(admin.address(), admin.port(), token),
                REQUEST_TIMEOUT);
        String url = http.url("/admin/reload");
        AdminClient.Reply response;
        try {
            response = http.send("POST", "/admin/reload", Map.of());
        } catch (IOException e) {
            err.println("sluice reload: cannot reach the daemon at " + url + ": " + e);
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sluice reload: interrupted");
            return 2;
        }
        if (response.status() != 200) {
            err.println("sluice reload: " + url + " answered " + response.status() + ": "
                    + response.body().strip());
            // the same codes as the other admin commands (AdminCommand): 3 when the token is refused
            boolean refusedToken = response.status() == 401 || response.status() == 403;
            return refusedToken ? AdminCommand.UNAUTHORIZED : AdminCommand.USAGE;
        }
        ReloadReply reply;
        try {
            reply = ReloadReply.parse(response.body());
        } catch (IllegalArgumentException e) {
            err.println("sluice reload: " + e.getMessage());
            return 2;
        }
        if (reply.applied()) {
            out.println("reloaded");
            return 0;
        }
        reply.errors().forEach(err::println);
        reply.requiresRestart().forEach(key -> err.println("requires restart: " + key));
        err.println("sluice reload: nothing applied; the running config stays in force");
        return 1;
    }
}
