package io.sluice.bench;

import io.sluice.bench.load.LoadCommand;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = BenchCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldPrintHelpListingTheLoadCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("load");
    }

    @Test
    void shouldDescribeEveryLoadOptionInItsHelp() {
        assertThat(run("load", "--help")).isZero();
        assertThat(out.toString()).contains("--host", "--port", "--messages", "--size", "--connections",
                "--per-connection", "--pipelining", "--rate", "--from", "--to", "--recipients", "--warmup",
                "--timeout", "--json", "--allow-rejects");
    }

    @Test
    void shouldRefuseANonLoopbackHostWithExitTwoAndAClearMessage() {
        assertThat(run("load", "--host", "192.0.2.1", "--messages", "1")).isEqualTo(LoadCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("refusing --host 192.0.2.1", "not loopback");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldRejectABadDuration() {
        assertThat(run("load", "--timeout", "soon")).isEqualTo(LoadCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("is not a duration");
    }

    @Test
    void shouldExitOneWhenNothingCouldBeSentAndPrintJson() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int code = run("load", "--port", Integer.toString(port), "--messages", "3", "--connections", "1",
                "--json");
        assertThat(code).isEqualTo(LoadCommand.EXIT_FAILED);
        assertThat(out.toString().trim()).startsWith("{").endsWith("}")
                .contains("\"unsent\":3", "\"accepted\":0", "\"success\":false", "\"rejectsByCode\":{}");
    }
}
