package io.sluice.bench.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Zone;

/**
 * An authoritative DNS server for benchmark labs: answers UDP queries on a loopback address from one zone loaded
 * from a master file by dnsjava's {@link Zone}, so that Sluice can resolve a benchmark destination (for example
 * {@code dest.peers.test MX 10 sink.peers.test}, {@code sink.peers.test A 127.0.0.1}) without any traffic leaving
 * the machine.
 *
 * <p>Answers: the records of the name and type (NOERROR, AA); NODATA with the SOA when the name exists without
 * that type; NXDOMAIN with the SOA for unknown names; REFUSED outside the zone, for anything but one IN question
 * of a standard query, and FORMERR for unparsable packets. No CNAME chasing, no delegation, no TCP (benchmark
 * answers are small). Threading: {@link #serve} runs on the caller's thread until {@link #close}; one packet
 * at a time, which is plenty for a resolver that caches (Sluice's does). Failure: a bad master file fails
 * {@link #start} with the parser's message.
 */
public final class ZoneDnsServer implements AutoCloseable {
    private static final int MAX_UDP = 512;

    private final Zone zone;
    private final DatagramSocket socket;
    private final AtomicLong answered = new AtomicLong();

    private ZoneDnsServer(Zone zone, DatagramSocket socket) {
        this.zone = zone;
        this.socket = socket;
    }

    /** Binds {@code address} (must be loopback; the caller checks) and loads the zone. */
    public static ZoneDnsServer start(Zone zone, InetSocketAddress address) throws IOException {
        return new ZoneDnsServer(zone, new DatagramSocket(address));
    }

    /** Starts {@link #serve} on a daemon thread (benchmarks that need a resolver in-process). */
    public static ZoneDnsServer startInBackground(Zone zone, InetSocketAddress address) throws IOException {
        ZoneDnsServer server = start(zone, address);
        Thread thread = new Thread(server::serve, "zone-dns-" + server.port());
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    /**
     * A zone for one benchmark destination: {@code <domain> MX 10 mx.<domain>}, {@code mx.<domain> A <ipv4>},
     * plus the SOA and NS a zone needs.
     */
    public static Zone oneDestination(String domain, String ipv4) throws IOException {
        Name origin = Name.fromString(domain + ".");
        Name ns = Name.fromString("ns." + domain + ".");
        Name mx = Name.fromString("mx." + domain + ".");
        InetAddress address = InetAddress.getByName(ipv4);
        return new Zone(origin, new Record[] {
            new SOARecord(origin, DClass.IN, 3600, ns,
                    Name.fromString("hostmaster." + domain + "."), 1, 3600, 600, 86400, 300),
            new NSRecord(origin, DClass.IN, 3600, ns),
            new MXRecord(origin, DClass.IN, 3600, 10, mx),
            new ARecord(mx, DClass.IN, 3600, address)});
    }

    /** {@code 127.0.0.1:<port>}-style resolver spec for {@code dns.resolvers}. */
    public String resolverSpec() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return socket.getLocalPort();
    }

    /** Queries answered so far (any rcode), counted as each reply is sent. */
    public long answered() {
        return answered.get();
    }

    /** Answers queries until the socket is closed. */
    public void serve() {
        byte[] in = new byte[MAX_UDP];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(in, in.length);
            try {
                socket.receive(packet);
                byte[] reply = answer(in, packet.getLength());
                answered.incrementAndGet(); // before the send: a client that has its answer sees it counted
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    System.err.println("zone-dns: " + e);
                }
            }
        }
    }

    byte[] answer(byte[] packet, int length) {
        Message query;
        try {
            query = new Message(java.util.Arrays.copyOf(packet, length));
        } catch (IOException e) {
            Message error = new Message();
            error.getHeader().setRcode(Rcode.FORMERR);
            error.getHeader().setFlag(Flags.QR);
            return error.toWire(MAX_UDP);
        }
        Message reply = new Message(query.getHeader().getID());
        Header header = reply.getHeader();
        header.setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question != null) {
            reply.addRecord(question, Section.QUESTION);
        }
        if (question == null || query.getHeader().getOpcode() != Opcode.QUERY || question.getDClass() != DClass.IN
                || !question.getName().subdomain(zone.getOrigin())) {
            header.setRcode(Rcode.REFUSED);
            return reply.toWire(MAX_UDP);
        }
        header.setFlag(Flags.AA);
        SetResponse found = zone.findRecords(question.getName(), question.getType());
        if (found.isSuccessful()) {
            for (RRset set : found.answers()) {
                set.rrs().forEach(r -> reply.addRecord(r, Section.ANSWER));
            }
        } else {
            header.setRcode(found.isNXDOMAIN() ? Rcode.NXDOMAIN : Rcode.NOERROR);
            reply.addRecord(zone.getSOA(), Section.AUTHORITY);
        }
        return reply.toWire(MAX_UDP);
    }

    @Override
    public void close() {
        socket.close();
    }
}
