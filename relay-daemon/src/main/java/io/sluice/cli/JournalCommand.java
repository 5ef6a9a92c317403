package io.sluice.cli;

import io.sluice.journal.JournalDump;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice journal ...}: offline, read-only journal tools. */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Inspect a journal (read-only).",
        subcommands = {JournalCommand.Dump.class})
final class JournalCommand {

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "Print one JSON line per accepted message: id, time, sender, recipients, size, sha256, "
                    + "state. Read-only; safe while the daemon runs.")
    static final class Dump implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "journal.dir of the daemon")
        Path dir;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) {
                System.err.println("sluice journal dump: " + dir + ": no such directory");
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
