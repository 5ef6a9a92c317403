package io.sluice.testing;

import io.sluice.util.IpLiteral;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server for tests: UDP on 127.0.0.1 (a free port), answering from an in-memory zone
 * that tests edit while it runs. Point {@code dns.resolvers} at {@link #resolverSpec()}.
 *
 * <p>Answers, for a query under the zone: the records of that name and type (NOERROR, AA); NODATA (NOERROR, no
 * answer, SOA in authority) when the name exists, or has names below it, but not that type; NXDOMAIN with SOA
 * for unknown names. The SOA's TTL and minimum are {@link #negativeTtl(long)}, so resolvers cache negative
 * answers as RFC 2308 says. Names outside the zone get REFUSED. On demand a name gets SERVFAIL
 * ({@link #servfail}), one type of a name REFUSED ({@link #refuse}), or no answer at all ({@link #drop}, so the client times out). Every query is counted per
 * name and type, including refused, failed and dropped ones, so tests can prove what a cache saved. No CNAME,
 * no TCP (answers are small), no EDNS echo.
 *
 * <p>Threading: one daemon thread serves queries; the zone and the switches may be edited from any thread
 * (edits are visible to the next query). Names are case-insensitive and written without the trailing dot.
 */
public final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final String zone;
    private final Name zoneName;
    /** Records by owner name (lower case, no trailing dot); guarded by {@code this}. */
    private final Map<String, List<Record>> records = new HashMap<>();
    private final Set<String> servfail = ConcurrentHashMap.newKeySet();
    private final Set<String> drop = ConcurrentHashMap.newKeySet();
    /** {@code name/TYPE} answered REFUSED (dnsmasq answers AAAA of some names so). */
    private final Set<String> refuse = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    /** Further zones this server answers for ({@link #alsoServe}). */
    private final Set<String> moreZones = ConcurrentHashMap.newKeySet();
    private volatile long ttl = 300;
    private volatile long negativeTtl = 300;

    private TestDnsServer(String zone) throws IOException {
        this.zone = normalise(zone);
        this.zoneName = name(this.zone);
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                0));
        this.thread = new Thread(this::serve, "test-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
    }

    /** Starts a server authoritative for {@code zone} (e.g. {@code test}) and everything below it. */
    public static TestDnsServer start(String zone) throws IOException {
        TestDnsServer server = new TestDnsServer(zone);
        server.thread.start();
        return server;
    }

    /** {@code 127.0.0.1:<port>}, the form {@code dns.resolvers} takes. */
    public String resolverSpec() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** TTL in seconds of records added from now on (default 300). */
    public TestDnsServer ttl(long seconds) {
        this.ttl = seconds;
        return this;
    }

    /** TTL and minimum in seconds of the SOA sent with NXDOMAIN and NODATA answers (default 300). */
    public TestDnsServer negativeTtl(long seconds) {
        this.negativeTtl = seconds;
        return this;
    }

    /** Answers for {@code zone} too (e.g. {@code in-addr.arpa} for {@link #ptr}). */
    public TestDnsServer alsoServe(String zone) {
        moreZones.add(normalise(zone));
        return this;
    }

    /** Adds a TXT record at {@code name}; each string is one character-string (at most 255 characters). */
    public TestDnsServer txt(String name, String... strings) {
        return add(new TXTRecord(name(name), DClass.IN, ttl, java.util.Arrays.asList(strings)));
    }

    /** Adds a PTR record for the IPv4 address {@code ip} pointing at {@code host} (serve {@code in-addr.arpa}). */
    public TestDnsServer ptr(String ip, String host) {
        String[] o = ip.split("\\.");
        return add(new PTRRecord(name(o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa"), DClass.IN, ttl,
                name(host)));
    }

    /** Adds an MX record {@code domain MX preference host}. */
    public TestDnsServer mx(String domain, int preference, String host) {
        return add(new MXRecord(name(domain), DClass.IN, ttl, preference, name(host)));
    }

    /** Adds the RFC 7505 null MX: {@code domain MX 0 .}. */
    public TestDnsServer nullMx(String domain) {
        return add(new MXRecord(name(domain), DClass.IN, ttl, 0, Name.root));
    }

    /** Adds A records. */
    public TestDnsServer a(String host, String... ipv4) {
        for (String ip : ipv4) {
            add(new ARecord(name(host), DClass.IN, ttl, IpLiteral.parse(ip)));
        }
        return this;
    }

    /** Adds AAAA records (any IPv6 text form, including {@code ::ffff:10.0.0.1}). */
    public TestDnsServer aaaa(String host, String... ipv6) {
        for (String ip : ipv6) {
            byte[] bytes = IpLiteral.parse(ip);
            if (bytes.length != 16) {
                throw new IllegalArgumentException(ip + " is not an IPv6 address");
            }
            add(new AAAARecord(name(host), DClass.IN, ttl, bytes));
        }
        return this;
    }

    /** Removes every record of {@code name}. */
    public synchronized TestDnsServer remove(String name) {
        records.remove(normalise(name));
        return this;
    }

    /** Answers every query for {@code name} with SERVFAIL until {@link #answerNormally}. */
    public TestDnsServer servfail(String name) {
        servfail.add(normalise(name));
        return this;
    }

    /** Sends no answer to queries for {@code name} until {@link #answerNormally}: the client times out. */
    public TestDnsServer drop(String name) {
        drop.add(normalise(name));
        return this;
    }

    /**
     * Answers queries for {@code name} of {@code type} ({@code "AAAA"}) with REFUSED until {@link #answerNormally}, as
     * dnsmasq does for AAAA of names it only has IPv4 for.
     */
    public TestDnsServer refuse(String name, String type) {
        refuse.add(normalise(name) + "/" + type.toUpperCase(Locale.ROOT));
        return this;
    }

    /** Ends {@link #servfail}, {@link #drop} and {@link #refuse} for {@code name}. */
    public TestDnsServer answerNormally(String name) {
        servfail.remove(normalise(name));
        drop.remove(normalise(name));
        refuse.removeIf(k -> k.startsWith(normalise(name) + "/"));
        return this;
    }

    /** Queries received so far for {@code name} and {@code type} ({@code "MX"}, {@code "A"}, {@code "AAAA"}). */
    public int queries(String name, String type) {
        AtomicInteger n = counts.get(normalise(name) + "/" + type.toUpperCase(Locale.ROOT));
        return n == null ? 0 : n.get();
    }

    /** Queries received so far, for any name and type. */
    public int totalQueries() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }

    private synchronized TestDnsServer add(Record r) {
        records.computeIfAbsent(normalise(r.getName().toString()), k -> new ArrayList<>()).add(r);
        return this;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] reply = answer(Arrays.copyOf(packet.getData(), packet.getLength()));
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                // Closed socket (loop ends) or a malformed query (ignored, as a real server would).
            }
        }
    }

    /** The wire reply to one query, or null to send nothing. */
    private byte[] answer(byte[] wire) throws IOException {
        Message query = new Message(wire);
        Record question = query.getQuestion();
        if (question == null) {
            return null;
        }
        String qname = normalise(question.getName().toString());
        int qtype = question.getType();
        counts.computeIfAbsent(qname + "/" + Type.string(qtype), k -> new AtomicInteger()).incrementAndGet();

        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        if (!inZone(qname)) {
            header.setRcode(Rcode.REFUSED);
            return response.toWire();
        }
        if (drop.contains(qname)) {
            return null;
        }
        if (servfail.contains(qname)) {
            header.setRcode(Rcode.SERVFAIL);
            return response.toWire();
        }
        if (refuse.contains(qname + "/" + Type.string(qtype))) {
            header.setRcode(Rcode.REFUSED);
            return response.toWire();
        }
        header.setFlag(Flags.AA);
        List<Record> matching = new ArrayList<>();
        boolean exists;
        synchronized (this) {
            for (Record r : records.getOrDefault(qname, List.of())) {
                if (r.getType() == qtype) {
                    // Owner name as asked (0x20 case randomisation must round-trip).
                    matching.add(r.withName(question.getName()));
                }
            }
            exists = qname.equals(zone) || records.keySet().stream()
                    .anyMatch(n -> n.equals(qname) || n.endsWith("." + qname));
        }
        if (!matching.isEmpty()) {
            matching.forEach(r -> response.addRecord(r, Section.ANSWER));
        } else {
            header.setRcode(exists ? Rcode.NOERROR : Rcode.NXDOMAIN);
            long negative = negativeTtl;
            response.addRecord(new SOARecord(zoneName, DClass.IN, negative, name("ns." + zone),
                    name("hostmaster." + zone), 1, 3600, 600, 86400, negative), Section.AUTHORITY);
        }
        return response.toWire();
    }

    private boolean inZone(String qname) {
        if (qname.equals(zone) || qname.endsWith("." + zone)) {
            return true;
        }
        for (String z : moreZones) {
            if (qname.equals(z) || qname.endsWith("." + z)) {
                return true;
            }
        }
        return false;
    }

    private static String normalise(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    private static Name name(String text) {
        try {
            return Name.fromString(normalise(text) + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text + " is not a DNS name", e);
        }
    }
}
