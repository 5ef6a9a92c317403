package io.sluice.bench.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/** The benchmark DNS server answers the shipped rig zone (scripts/bench/peers.zone) over real loopback UDP. */
class ZoneDnsServerTest {
    private static final Path ZONE_FILE = Path.of("../scripts/bench/peers.zone");

    private ZoneDnsServer server;
    private Thread thread;
    private SimpleResolver resolver;

    @BeforeEach
    void start() throws Exception {
        assertThat(Files.exists(ZONE_FILE)).as("run from relay-bench/").isTrue();
        Zone zone = new Zone(Name.fromString("peers.test."), ZONE_FILE.toString());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        server = ZoneDnsServer.start(zone, new InetSocketAddress(loopback, 0));
        thread = new Thread(server::serve, "zone-dns-test");
        thread.start();
        resolver = new SimpleResolver(new InetSocketAddress(loopback, server.port()));
        resolver.setTimeout(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
        thread.join(2_000);
    }

    private Message ask(String name, int type) throws Exception {
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    @Test
    void shouldAnswerTheDestinationMxAndTheSinkAddress() throws Exception {
        Message mx = ask("dest.peers.test.", Type.MX);
        assertThat(mx.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(mx.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(MXRecord.class, r -> {
            assertThat(r.getPriority()).isEqualTo(10);
            assertThat(r.getTarget().toString()).isEqualTo("sink.peers.test.");
        });
        Message a = ask("sink.peers.test.", Type.A);
        assertThat(a.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(ARecord.class,
                r -> assertThat(r.getAddress().getHostAddress()).isEqualTo("127.0.0.1"));
        assertThat(server.answered()).isEqualTo(2);
    }

    @Test
    void shouldAnswerNxdomainNodataAndRefusedWithTheRightCodes() throws Exception {
        Message missing = ask("nope.peers.test.", Type.MX);
        assertThat(missing.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(missing.getSection(Section.AUTHORITY)).hasSize(1);
        Message noData = ask("sink.peers.test.", Type.AAAA);
        assertThat(noData.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(noData.getSection(Section.ANSWER)).isEmpty();
        assertThat(ask("example.com.", Type.MX).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void shouldServeAOneDestinationZoneInTheBackground() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        try (ZoneDnsServer one = ZoneDnsServer.startInBackground(ZoneDnsServer.oneDestination("steady.bench",
                "127.0.0.2"), any)) {
            assertThat(one.resolverSpec()).isEqualTo("127.0.0.1:" + one.port());
            SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getByName("127.0.0.1"),
                    one.port()));
            r.setTimeout(Duration.ofSeconds(2));
            Message mx = r.send(Message.newQuery(Record.newRecord(Name.fromString("steady.bench."), Type.MX,
                    DClass.IN)));
            assertThat(mx.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(MXRecord.class,
                    rec -> assertThat(rec.getTarget().toString()).isEqualTo("mx.steady.bench."));
            Message a = r.send(Message.newQuery(Record.newRecord(Name.fromString("mx.steady.bench."), Type.A,
                    DClass.IN)));
            assertThat(a.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(ARecord.class,
                    rec -> assertThat(rec.getAddress().getHostAddress()).isEqualTo("127.0.0.2"));
        }
    }
}
