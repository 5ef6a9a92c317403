package io.sluice.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.util.IpLiteral;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The delivery-safety rule: which addresses from MX/A/AAAA answers delivery may connect to. */
class AddressPolicyTest {

    private static final List<String> SPECIAL = List.of("127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1",
            "172.31.255.254", "192.168.0.1", "169.254.10.10", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3",
            "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1",
            "fec0::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1");
    private static final List<String> PUBLIC = List.of("8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "192.0.2.1", "203.0.113.9", "223.255.255.254", "2001:db8::1", "2a00:1450::1",
            "fbff::1", "::ffff:8.8.4.4");

    @Test
    void shouldRefuseSpecialPurposeAddressesUnlessPrivateMxIsAllowed() {
        AddressPolicy strict = new AddressPolicy(false, Set.of());
        AddressPolicy lab = new AddressPolicy(true, Set.of());
        for (String s : SPECIAL) {
            assertThat(strict.permits(ip(s))).as(s).isFalse();
            assertThat(AddressPolicy.isSpecialPurpose(ip(s))).as(s).isTrue();
            assertThat(lab.permits(ip(s))).as(s).isTrue();
        }
        for (String s : PUBLIC) {
            assertThat(strict.permits(ip(s))).as(s).isTrue();
        }
    }

    @Test
    void shouldRefuseOwnAddressesInAnySpelling() throws Exception {
        AddressPolicy policy = new AddressPolicy(false, Set.of(ip("203.0.113.9"),
                Inet6Address.getByAddress("own", ip("2001:db8::9").getAddress(), 3)));

        assertThat(policy.permits(ip("203.0.113.9"))).isFalse();
        assertThat(policy.permits(InetAddress.getByAddress("mx.example", ip("203.0.113.9").getAddress()))).isFalse();
        assertThat(policy.permits(ip("::ffff:203.0.113.9"))).isFalse();
        assertThat(policy.permits(ip("2001:db8::9"))).as("scope id ignored").isFalse();
        assertThat(policy.permits(ip("203.0.113.10"))).isTrue();
        assertThat(new AddressPolicy(true, Set.of(ip("203.0.113.9"))).permits(ip("203.0.113.9"))).isTrue();
    }

    @Test
    void shouldListThisMachinesInterfaceAddresses() {
        assertThat(AddressPolicy.interfaceAddresses()).contains(ip("127.0.0.1"));
    }

    private static InetAddress ip(String literal) {
        return IpLiteral.toInetAddress(literal);
    }
}
