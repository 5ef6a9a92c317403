package io.sluice.cli;

import io.sluice.config.ConfigException;
import io.sluice.config.SettingsLoader;
import io.sluice.journal.JournalDump;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code sluice journal ...}: offline, read-only journal tools. */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Inspect a journal (read-only).",
        subcommands = {JournalCommand.Dump.class})
final class JournalCommand {

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "Print one JSON line per accepted message: id, time, sender, recipients, size, sha256, "
                    + "state. Read-only; safe while the daemon runs.")
    static final class Dump implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "the journal directory (default: journal.dir of the config, see -c)")
        Path dir;

        @Mixin
        ConfigLocation location;

        @Override
        public Integer call() throws Exception {
            if (dir == null) {
                Path config = location.path();
                try {
                    dir = SettingsLoader.load(config).journal().dir();
                } catch (ConfigException e) {
                    spec.commandLine().getErr().println(e.getMessage());
                    return 1;
                }
            }
            if (!Files.isDirectory(dir)) {
                spec.commandLine().getErr().println("sluice journal dump: " + dir + ": no such directory");
                return 1;
            }
            PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                    java.nio.charset.StandardCharsets.UTF_8);
            JournalDump.dump(dir, out);
            out.flush();
            return 0;
        }
    }
}
