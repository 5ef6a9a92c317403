package io.sluice.bench.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Zone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice-bench dns}: serves one zone file over UDP on a loopback address until killed, for benchmark runs
 * where Sluice must resolve a destination to a local sink ({@code scripts/bench/peers.zone}). Refuses to bind
 * anything but a loopback address. Exit 2 on a bad zone file or address.
 */
@Command(name = "dns", mixinStandardHelpOptions = true,
        description = "Serve a DNS zone file on a loopback UDP port (benchmark labs only).")
public final class ZoneDnsCommand implements Callable<Integer> {

    @Option(names = "--zone-file", required = true, description = "master file to serve")
    String zoneFile;

    @Option(names = "--origin", required = true, description = "zone origin, e.g. peers.test")
    String origin;

    @Option(names = "--address", defaultValue = "127.0.0.1", description = "loopback address (default: ${DEFAULT-VALUE})")
    String address;

    @Option(names = "--port", defaultValue = "25053", description = "UDP port (default: ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() throws IOException {
        InetAddress bind = InetAddress.getByName(address);
        if (!bind.isLoopbackAddress()) {
            System.err.println("dns: " + address + " is not a loopback address");
            return 2;
        }
        Zone zone;
        try {
            zone = new Zone(Name.fromString(origin, Name.root), zoneFile);
        } catch (IOException e) {
            System.err.println("dns: " + zoneFile + ": " + e.getMessage());
            return 2;
        }
        try (ZoneDnsServer server = ZoneDnsServer.start(zone, new InetSocketAddress(bind, port))) {
            System.err.println("dns: serving " + zone.getOrigin() + " on " + address + ":" + server.port() + "/udp");
            server.serve();
        }
        return 0;
    }
}
