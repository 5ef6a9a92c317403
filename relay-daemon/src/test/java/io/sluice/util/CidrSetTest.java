package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrSetTest {

    private static InetAddress ip(String literal) {
        return IpLiteral.toInetAddress(literal);
    }

    @Test
    void shouldNormaliseSpecs() {
        CidrSet set = CidrSet.parse(List.of("127.0.0.0/8", "::1/128", "10.1.2.3", "2001:DB8:0:0::/32", "::1",
                "::ffff:10.0.0.0/104"));
        assertThat(set.specs()).containsExactly("127.0.0.0/8", "::1/128", "10.1.2.3/32", "2001:db8::/32",
                "::1/128", "10.0.0.0/8");
        assertThat(set).hasToString("127.0.0.0/8, ::1/128, 10.1.2.3/32, 2001:db8::/32, ::1/128, 10.0.0.0/8");
    }

    @Test
    void shouldParseCommaSeparatedText() {
        assertThat(CidrSet.parse("127.0.0.0/8, ::1/128")).isEqualTo(CidrSet.parse(List.of("127.0.0.0/8", "::1/128")));
        assertThat(CidrSet.parse(" ")).isSameAs(CidrSet.EMPTY);
        assertThat(CidrSet.EMPTY.isEmpty()).isTrue();
        assertThat(CidrSet.EMPTY.contains(ip("127.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.0/8, 127.0.0.1, true",
        "127.0.0.0/8, 127.255.255.255, true",
        "127.0.0.0/8, 128.0.0.0, false",
        "127.0.0.0/8, 126.255.255.255, false",
        "10.1.2.3, 10.1.2.3, true",
        "10.1.2.3, 10.1.2.4, false",
        "192.168.0.0/16, 192.168.200.1, true",
        "192.168.0.0/16, 192.169.0.1, false",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "128.0.0.0/1, 200.1.1.1, true",
        "128.0.0.0/1, 100.1.1.1, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "0.0.0.0/0, ::1, false",
        "::1/128, ::1, true",
        "::1/128, ::2, false",
        "::1/128, 127.0.0.1, false",
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "2001:db8:0:1::/64, 2001:db8:0:1:ffff:ffff:ffff:ffff, true",
        "2001:db8:0:1::/64, 2001:db8:0:2::, false",
        "2001:db8::/100, 2001:db8::fff:ffff, true",
        "2001:db8::/100, 2001:db8::1000:0, false",
        "::/0, 2001:db8::1, true",
        "::/0, 10.0.0.1, false",
        "8000::/1, ffff::1, true",
        "8000::/1, 7fff::1, false",
        "::ffff:10.0.0.0/104, 10.200.0.1, true",
        "::ffff:10.0.0.0/104, 11.0.0.1, false",
    })
    void shouldMatchAddressesInItsNetworks(String network, String address, boolean expected) {
        CidrSet set = CidrSet.parse(List.of(network));
        assertThat(set.contains(ip(address))).isEqualTo(expected);
        assertThat(set.contains(IpLiteral.parse(address))).isEqualTo(expected);
    }

    @Test
    void shouldMatchIpv4MappedIpv6AgainstIpv4Networks() {
        CidrSet set = CidrSet.parse("127.0.0.0/8");
        byte[] mapped = IpLiteral.parse("::ffff:127.0.0.9");
        assertThat(mapped).hasSize(16);
        assertThat(set.contains(mapped)).isTrue();
        assertThat(set.contains(IpLiteral.parse("::ffff:128.0.0.9"))).isFalse();
        // IPv4-compatible (deprecated ::a.b.c.d) is not IPv4.
        assertThat(set.contains(IpLiteral.parse("::127.0.0.9"))).isFalse();
        assertThat(set.containsIpv6(0L, 0x0000_ffff_7f00_0001L)).isFalse(); // the primitive form never unwraps
    }

    @Test
    void shouldMatchAnyOfSeveralNetworks() {
        CidrSet set = CidrSet.parse("10.0.0.0/8, 192.168.1.0/24, ::1/128, fd00::/8");
        assertThat(set.contains(ip("10.9.9.9"))).isTrue();
        assertThat(set.contains(ip("192.168.1.77"))).isTrue();
        assertThat(set.contains(ip("192.168.2.77"))).isFalse();
        assertThat(set.contains(ip("::1"))).isTrue();
        assertThat(set.contains(ip("fd12::1"))).isTrue();
        assertThat(set.contains(ip("fe80::1"))).isFalse();
        assertThat(set.contains(new byte[5])).isFalse();
    }

    @Test
    void shouldRejectBadEntriesNamingThem() {
        assertThatThrownBy(() -> CidrSet.parse(List.of("10.0.0.0/8", "10.0.0.256/8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("10.0.0.256/8 is not a network (10.0.0.256 is not an IP address)");
        assertThatThrownBy(() -> CidrSet.parse(List.of("10.0.0.0/33")))
                .hasMessage("10.0.0.0/33 is not a network (prefix length must be 0-32)");
        assertThatThrownBy(() -> CidrSet.parse(List.of("::/129")))
                .hasMessage("::/129 is not a network (prefix length must be 0-128)");
        assertThatThrownBy(() -> CidrSet.parse(List.of("10.0.0.0/")))
                .hasMessage("10.0.0.0/ is not a network (prefix length must be 0-32)");
        assertThatThrownBy(() -> CidrSet.parse(List.of("10.0.0.0/-1")))
                .hasMessage("10.0.0.0/-1 is not a network (prefix length must be 0-32)");
        assertThatThrownBy(() -> CidrSet.parse(List.of("10.1.2.3/8")))
                .hasMessage("10.1.2.3/8 is not a network (host bits set; did you mean 10.0.0.0/8?)");
        assertThatThrownBy(() -> CidrSet.parse(List.of("2001:db8::1/32")))
                .hasMessage("2001:db8::1/32 is not a network (host bits set; did you mean 2001:db8::/32?)");
        assertThatThrownBy(() -> CidrSet.parse(List.of("localhost")))
                .hasMessage("localhost is not a network (localhost is not an IP address)");
        assertThatThrownBy(() -> CidrSet.parse(List.of("")))
                .hasMessage("\"\" is not a network (empty entry)");
    }

    @Test
    void shouldBeImmutableAndComparedByNormalisedEntries() {
        List<String> source = new ArrayList<>(List.of("10.0.0.1"));
        CidrSet set = CidrSet.parse(source);
        source.add("10.0.0.2");
        assertThat(set.specs()).containsExactly("10.0.0.1/32");
        assertThatThrownBy(() -> set.specs().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(set).isEqualTo(CidrSet.parse("10.0.0.1/32")).hasSameHashCodeAs(CidrSet.parse("10.0.0.1/32"));
        assertThat(set).isNotEqualTo(CidrSet.parse("10.0.0.2"));
    }

    @Test
    void shouldRelyOnInet4AddressHashCodeBeingTheAddress() {
        // contains(Inet4Address) reads the address through hashCode() to avoid getAddress()'s copy.
        for (String s : List.of("0.0.0.0", "127.0.0.1", "255.255.255.255", "192.0.2.200", "10.20.30.40")) {
            Inet4Address a = (Inet4Address) ip(s);
            byte[] b = a.getAddress();
            int expected = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            assertThat(a.hashCode()).as(s).isEqualTo(expected);
        }
    }

    @Test
    void shouldNotAllocateWhenMatchingIpv4() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        CidrSet set = CidrSet.parse("10.0.0.0/8, 192.168.0.0/16, 127.0.0.0/8, ::1/128");
        InetAddress inside = ip("127.0.0.1");
        InetAddress outside = ip("8.8.8.8");
        byte[] mapped = IpLiteral.parse("::ffff:8.8.8.8");
        int hits = 0;
        for (int i = 0; i < 20_000; i++) { // warm up
            hits += (set.contains(inside) ? 1 : 0) + (set.contains(outside) ? 1 : 0) + (set.contains(mapped) ? 1 : 0);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            hits += (set.contains(inside) ? 1 : 0) + (set.contains(outside) ? 1 : 0) + (set.contains(mapped) ? 1 : 0);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(hits).isEqualTo(120_000);
        assertThat(allocated).as("bytes allocated by 300k lookups").isLessThan(4096);
    }
}
