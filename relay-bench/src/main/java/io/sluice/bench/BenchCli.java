package io.sluice.bench;

import io.sluice.bench.dns.ZoneDnsCommand;
import io.sluice.bench.jmh.JmhCommand;
import io.sluice.bench.load.LoadCommand;
import io.sluice.bench.sink.SinkCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code sluice-bench.jar} (and {@code scripts/sluice-bench}). Subcommands: {@code load}, the
 * end-to-end SMTP load generator ({@link LoadCommand}); {@code jmh}, the JMH micro-benchmarks ({@link JmhCommand});
 * {@code dns}, a loopback DNS server for benchmark labs ({@link ZoneDnsCommand}).
 * Without a subcommand it prints usage and exits 2.
 * {@link #run(String...)} is the in-process form for tests: it returns the exit code instead of exiting.
 */
@Command(name = "sluice-bench", mixinStandardHelpOptions = true, version = "sluice-bench 0.1.0",
        description = "Sluice load and benchmark tools. Targets must be on loopback.",
        subcommands = {LoadCommand.class, JmhCommand.class, ZoneDnsCommand.class, SinkCommand.class,
                io.sluice.bench.shaping.ShapingHeapCommand.class,
                io.sluice.bench.suppression.SuppressionHeapCommand.class,
                CommandLine.HelpCommand.class})
public final class BenchCli implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand, e.g. 'load'");
    }

    /** @return a fresh command line, for callers that want to set their own out/err writers */
    public static CommandLine commandLine() {
        return new CommandLine(new BenchCli());
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
