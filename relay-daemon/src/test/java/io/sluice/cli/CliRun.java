package io.sluice.cli;

import io.sluice.testing.TestDaemon;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One {@code sluice} invocation in-process, as a user types it, with its exit code and what it printed on stdout and
 * stderr (picocli's writers, not the JVM's). For the CLI tests.
 *
 * @param exit the exit code
 * @param out  standard output
 * @param err  standard error
 */
record CliRun(int exit, String out, String err) {

    /** Runs {@code sluice ARGS...}. */
    static CliRun sluice(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new picocli.CommandLine(new SluiceCli()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Runs {@code sluice COMMAND --config <the daemon's config> ARGS...} against a running daemon. */
    static CliRun admin(TestDaemon daemon, String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--config";
        all[2] = daemon.config().toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return sluice(all);
    }
}
