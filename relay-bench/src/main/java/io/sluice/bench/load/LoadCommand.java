package io.sluice.bench.load;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code sluice-bench load}: drives an SMTP server on loopback with many concurrent submissions and prints a
 * report (text table, or one JSON object with {@code --json}).
 *
 * <p>Exit codes: {@value #EXIT_OK} every message accepted (or only rejects, with {@code --allow-rejects});
 * {@value #EXIT_FAILED} a message was rejected, lost, left unsent, or the timeout struck; {@value #EXIT_USAGE} bad
 * options or a target that is not loopback (nothing was sent). Output goes to the command line's out/err writers so
 * tests can capture it.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send SMTP load to a server on loopback and report throughput and submission latency.",
            "Closed loop by default; --rate R schedules messages at R/s (open loop, coordinated-omission-correct)."})
public final class LoadCommand implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", description = "Target host; must resolve to loopback only (default: ${DEFAULT-VALUE}).")
    String host = LoadSettings.DEFAULT_HOST;

    @Option(names = "--port", description = "Target SMTP port (default: ${DEFAULT-VALUE}).")
    int port = LoadSettings.DEFAULT_PORT;

    @Option(names = {"--messages", "-n"}, description = "Measured messages to send (default: ${DEFAULT-VALUE}).")
    long messages = LoadSettings.DEFAULT_MESSAGES;

    @Option(names = "--size", paramLabel = "BYTES",
            description = "Message size as stored, headers included (default: ${DEFAULT-VALUE}).")
    int size = LoadSettings.DEFAULT_SIZE_BYTES;

    @Option(names = {"--connections", "-c"}, description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
    int connections = LoadSettings.DEFAULT_CONNECTIONS;

    @Option(names = "--per-connection", paramLabel = "K",
            description = "Messages per connection before QUIT and reconnect (default: ${DEFAULT-VALUE}).")
    int perConnection = LoadSettings.DEFAULT_PER_CONNECTION;

    @Option(names = "--pipelining",
            description = "Send MAIL+RCPT+DATA in one write when the server offers PIPELINING.")
    boolean pipelining;

    @Option(names = "--rate", paramLabel = "R",
            description = "Open loop: start messages at R per second overall; 0 = closed loop (default).")
    double rate;

    @Option(names = "--from", description = "Envelope sender (default: ${DEFAULT-VALUE}).")
    String from = LoadSettings.DEFAULT_MAIL_FROM;

    @Option(names = "--to", description = "Envelope recipient; with --recipients > 1 it becomes local+1@domain, "
            + "local+2@domain, ... (default: ${DEFAULT-VALUE}).")
    String to = LoadSettings.DEFAULT_RCPT_TO;

    @Option(names = "--recipients", description = "RCPT TO commands per message (default: ${DEFAULT-VALUE}).")
    int recipients = 1;

    @Option(names = "--warmup", paramLabel = "W",
            description = "Messages sent first and left out of latency and throughput (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--timeout", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Hard limit for the whole run, e.g. 300s, 5m (default: 300s).")
    Duration timeout = LoadSettings.DEFAULT_TIMEOUT;

    @Option(names = "--threads", description = "Client event-loop threads (default: number of cores).")
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--allow-rejects",
            description = "Exit 0 even if the server answered non-250 (lost or unsent messages still fail).")
    boolean allowRejects;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadSettings settings;
        try {
            settings = new LoadSettings(host, port, messages, size, connections, perConnection, pipelining, rate,
                    from, to, recipients, warmup, timeout, threads);
            LoopbackTarget.resolve(settings.host());
        } catch (IllegalArgumentException e) {
            err.println("sluice-bench load: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        LoadReport report = LoadRun.execute(settings);
        out.print(json ? JsonReportFormat.format(report, allowRejects) + System.lineSeparator()
                : TextReportFormat.format(report, allowRejects));
        out.flush();
        return report.success(allowRejects) ? EXIT_OK : EXIT_FAILED;
    }
}
