package io.sluice.bench.sink;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice-bench sink --listen 127.0.0.1:2526 --dir D [--policy FILE]}: runs a {@link CaptureSink} until killed,
 * so that mail a local Sluice sends can be looked at instead of going out; with {@code --policy} it enforces a
 * provider's limits ({@link SinkPolicy}: connections, message rate, shares of failures). Refuses anything but a
 * loopback address. Exit 2 on bad usage or a bad policy file (its errors name file, line and key).
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Accept SMTP on a loopback address and write every message to DIR as N.eml (nothing is relayed);"
                + " with --policy FILE, enforce a provider's limits (connections, message_rate, tempfail, permfail,"
                + " style, seed) and answer like it when they are passed.")
public final class SinkCommand implements Callable<Integer> {

    @Option(names = "--listen", defaultValue = "127.0.0.1:2526", paramLabel = "ADDRESS:PORT",
            description = "loopback address and port (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "where the .eml files go (created)")
    Path dir;

    @Option(names = "--policy", paramLabel = "FILE", description = "a strict sink's limits (YAML; see SinkPolicy)")
    Path policyFile;

    @Override
    public Integer call() throws Exception {
        int colon = listen.lastIndexOf(':');
        if (colon < 1) {
            System.err.println("sink: --listen wants ADDRESS:PORT, e.g. 127.0.0.1:2526");
            return 2;
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress()) {
            System.err.println("sink: " + host + " is not a loopback address");
            return 2;
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            System.err.println("sink: bad port in " + listen);
            return 2;
        }
        SinkPolicy policy = SinkPolicy.NONE;
        if (policyFile != null) {
            try {
                policy = SinkPolicy.read(policyFile);
            } catch (IllegalArgumentException | java.io.IOException e) {
                System.err.println("sink: " + e.getMessage());
                return 2;
            }
        }
        try (CaptureSink sink = CaptureSink.start(address, port, dir, System.out, policy)) {
            System.err.println("sink: listening on " + host + ":" + sink.port() + ", writing to " + dir
                    + (policyFile == null ? "" : ", enforcing " + policyFile + " (" + policy + ")"));
            new CountDownLatch(1).await(); // until killed
        }
        return 0;
    }
}
