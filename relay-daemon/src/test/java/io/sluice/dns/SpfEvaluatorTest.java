package io.sluice.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.util.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** RFC 7208 evaluation against an in-memory zone: mechanisms, prefixes, include, redirect, errors. */
class SpfEvaluatorTest {
    private final Map<String, List<Record>> zone = new HashMap<>();
    private final List<String> failing = new ArrayList<>();
    private final DnsQuery dns = (name, type) -> {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (failing.contains(n)) {
            return DnsAnswer.failed("timed out");
        }
        List<Record> out = zone.getOrDefault(n + "/" + type, List.of());
        return DnsAnswer.found(out);
    };

    private static Name name(String n) throws Exception {
        return Name.fromString(n + ".");
    }

    private void txt(String n, String text) throws Exception {
        zone.computeIfAbsent(n + "/" + Type.TXT, k -> new ArrayList<>()).add(new TXTRecord(name(n), DClass.IN, 300,
                text));
    }

    private void a(String n, String ip) throws Exception {
        byte[] b = IpLiteral.parse(ip);
        Record r = b.length == 4 ? new ARecord(name(n), DClass.IN, 300, InetAddress.getByAddress(b))
                : new AAAARecord(name(n), DClass.IN, 300, InetAddress.getByAddress(b));
        zone.computeIfAbsent(n + "/" + (b.length == 4 ? Type.A : Type.AAAA), k -> new ArrayList<>()).add(r);
    }

    private String check(String ip, String domain) {
        return new SpfEvaluator(dns).check(IpLiteral.toInetAddress(ip), domain).result();
    }

    @Test
    void shouldMatchAddressesPrefixesAndHostsWithTheirQualifiers() throws Exception {
        txt("d.test", "v=spf1 ip4:192.0.2.0/24 a/28 mx:mail.d.test//64 ~all");
        a("d.test", "198.51.100.1");
        zone.put("mail.d.test/" + Type.MX, List.of(new MXRecord(name("mail.d.test"), DClass.IN, 300, 10,
                name("mx1.d.test"))));
        a("mx1.d.test", "2001:db8::1");
        assertThat(check("192.0.2.77", "d.test")).isEqualTo("pass");
        assertThat(check("198.51.100.15", "d.test")).as("a/28").isEqualTo("pass");
        assertThat(check("198.51.100.16", "d.test")).isEqualTo("softfail");
        assertThat(check("2001:db8::ffff", "d.test")).as("mx://64").isEqualTo("pass");
        assertThat(check("2001:db9::1", "d.test")).isEqualTo("softfail");
    }

    @Test
    void shouldFollowIncludeAndRedirect() throws Exception {
        txt("d.test", "v=spf1 include:_spf.esp.test -all");
        txt("_spf.esp.test", "v=spf1 ip4:203.0.113.5 -all");
        txt("r.test", "v=spf1 redirect=d.test");
        txt("gone.test", "v=spf1 redirect=nothing.test");
        assertThat(check("203.0.113.5", "d.test")).isEqualTo("pass");
        assertThat(check("203.0.113.6", "d.test")).isEqualTo("fail");
        assertThat(check("203.0.113.5", "r.test")).isEqualTo("pass");
        assertThat(check("203.0.113.5", "gone.test")).as("redirect to no record").isEqualTo("permerror");
        assertThat(check("203.0.113.5", "none.test")).isEqualTo("none");
    }

    @Test
    void shouldReportErrorsAsReceiversWould() throws Exception {
        txt("bad.test", "v=spf1 ip4:192.0.2.1 bogus:x -all");
        txt("macro.test", "v=spf1 exists:%{i}.x.test -all");
        txt("loop.test", "v=spf1 a a a a a a a a a a a -all");
        txt("slow.test", "v=spf1 include:down.test -all");
        failing.add("down.test");
        assertThat(check("192.0.2.1", "bad.test")).as("an unknown mechanism anywhere").isEqualTo("permerror");
        assertThat(check("192.0.2.1", "macro.test")).isEqualTo("permerror");
        assertThat(check("192.0.2.1", "loop.test")).as("11 lookups").isEqualTo("permerror");
        assertThat(check("192.0.2.1", "slow.test")).as("DNS down").isEqualTo("temperror");
    }
}
