package io.sluice.bench.sink;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice-bench sink --listen 127.0.0.1:2526 --dir D}: runs a {@link CaptureSink} until killed, so that mail a
 * local Sluice sends can be looked at instead of going out. Refuses anything but a loopback address. Exit 2 on bad
 * usage.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Accept SMTP on a loopback address and write every message to DIR as N.eml (nothing is relayed).")
public final class SinkCommand implements Callable<Integer> {

    @Option(names = "--listen", defaultValue = "127.0.0.1:2526", paramLabel = "ADDRESS:PORT",
            description = "loopback address and port (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "where the .eml files go (created)")
    Path dir;

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
        try (CaptureSink sink = CaptureSink.start(address, port, dir, System.out)) {
            System.err.println("sink: listening on " + host + ":" + sink.port() + ", writing to " + dir);
            new CountDownLatch(1).await(); // until killed
        }
        return 0;
    }
}
