package io.sluice.bench.jmh;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A one-domain DNS responder on 127.0.0.1 (UDP, free port) for benchmarks that need a resolved destination:
 * {@code <domain> MX 10 mx.<domain>} and {@code mx.<domain> A <address>}; any other question gets an empty
 * NOERROR answer (NODATA). Not a general server: no zone, no negative-cache SOA, no TCP. One daemon thread.
 */
final class LoopbackDns implements AutoCloseable {
    private final DatagramSocket socket;
    private final Name domain;
    private final Name mx;
    private final InetAddress address;
    private final Thread thread;

    LoopbackDns(String domain, String ipv4) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                0));
        this.domain = Name.fromString(domain + ".");
        this.mx = Name.fromString("mx." + domain + ".");
        this.address = InetAddress.getByName(ipv4);
        this.thread = new Thread(this::serve, "bench-dns");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code 127.0.0.1:<port>}, the form {@code dns.resolvers} takes. */
    String resolverSpec() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] reply = answer(Arrays.copyOf(packet.getData(), packet.getLength()));
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                // closed (the loop ends) or a malformed query (ignored)
            }
        }
    }

    private byte[] answer(byte[] wire) throws IOException {
        Message query = new Message(wire);
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setFlag(Flags.AA);
        header.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        Name asked = question.getName();
        if (question.getType() == Type.MX && asked.equals(domain)) {
            response.addRecord(new MXRecord(asked, DClass.IN, 3600, 10, mx), Section.ANSWER);
        } else if (question.getType() == Type.A && asked.equals(mx)) {
            response.addRecord(new ARecord(asked, DClass.IN, 3600, address), Section.ANSWER);
        }
        return response.toWire();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
