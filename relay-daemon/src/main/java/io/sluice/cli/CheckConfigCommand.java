package io.sluice.cli;

import io.sluice.config.ConfigException;
import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice check-config FILE}: validates offline with the daemon's own loader; exit 1 and errors if invalid. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a config file; errors name file, line and key. Exit 0 if valid, 1 if not.")
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the config file, e.g. conf/sluice.yaml")
    Path file;

    @Override
    public Integer call() {
        try {
            Settings settings = SettingsLoader.load(file);
            System.out.println(file + ": ok (" + settings.listeners().size() + " listener(s))");
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
