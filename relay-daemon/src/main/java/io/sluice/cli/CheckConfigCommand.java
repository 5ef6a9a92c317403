package io.sluice.cli;

import io.sluice.config.ConfigException;
import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.daemon.StartupChecks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice check-config [-c FILE | FILE]} (config found as {@link ConfigLocation} says): validates offline with the daemon's own loader and then the daemon's own
 * start-up checks ({@link StartupChecks}: token, TLS and users files are read and parsed), so a file it passes is
 * one the daemon starts with. Exit 1 and every problem on stderr if invalid.
 *
 * <p>Ports: whether the listener and admin ports can be bound is printed as a warning only, because check-config
 * is run before {@code sluice reload} while the daemon holds those very ports (and an admin may lack the
 * privilege to bind port 25 that the service has). {@code --check-ports} makes them errors, for use before a
 * first start.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a config file and the files it names (admin token, TLS certificates and keys, AUTH "
                + "users files) as the daemon does at start; errors name file and key. Exit 0 if valid, 1 if not.")
final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "the config file (same as -c FILE; kept for scripts that pass it positionally)")
    Path positional;

    @Mixin
    ConfigLocation location;

    @Option(names = "--check-ports", description = "also fail when a listener or admin port cannot be bound now "
            + "(without it that is a warning: a running daemon holds its own ports)")
    boolean checkPorts;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (positional != null && location.explicit != null && !positional.equals(location.explicit)) {
            err.println("sluice check-config: give the file once, as -c FILE or as FILE");
            err.flush();
            return 2;
        }
        Path file = positional != null ? positional : location.path();
        Settings settings;
        try {
            settings = SettingsLoader.load(file);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
        StartupChecks.notes(settings).forEach(n -> out.println("note: " + n));
        List<String> errors = new ArrayList<>(StartupChecks.fileProblems(settings));
        List<String> ports = StartupChecks.portProblems(settings);
        if (checkPorts) {
            errors.addAll(ports);
        } else {
            ports.forEach(p -> err.println("warning: " + p + " (fine if it is the running daemon's own port)"));
        }
        StartupChecks.warnings(settings).forEach(w -> err.println("warning: " + w));
        errors.forEach(err::println);
        err.flush();
        if (!errors.isEmpty()) {
            return 1;
        }
        out.println(file + ": ok (" + settings.listeners().size() + " listener(s))");
        out.flush();
        return 0;
    }
}
