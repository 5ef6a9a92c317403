package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IpLiteralTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 127.0.0.1",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "::, ::",
        "::1, ::1",
        "0:0:0:0:0:0:0:1, ::1",
        "2001:DB8::0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0db8:0000:0001:0001:0001:0001:0001, 2001:db8:0:1:1:1:1:1",
        "fe80::, fe80::",
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
        "::ffff:192.0.2.1, ::ffff:c000:201",
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
    })
    void shouldParseAndFormatCanonically(String text, String canonical) {
        assertThat(IpLiteral.format(IpLiteral.parse(text))).isEqualTo(canonical);
    }

    @Test
    void shouldReturnFourBytesForIpv4AndSixteenForIpv6() {
        assertThat(IpLiteral.parse("10.1.2.3")).containsExactly(10, 1, 2, 3);
        assertThat(IpLiteral.parse("::1")).hasSize(16).endsWith(1);
        assertThat(IpLiteral.parse("::ffff:10.1.2.3")).hasSize(16).endsWith(0xff, 0xff, 10, 1, 2, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4",
        "1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.", "1.2.3.-4", "1.2.3.4/8", "１.2.3.4", ":::", "1:::2", "1::2::3",
        "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "::1:",
        "fe80::1%eth0", "[::1]", "1.2.3.4::", "::1.2.3.4:1", "1:2:3:4:5:6:7:1.2.3.4", "abc"})
    void shouldRejectAnythingButALiteral(String text) {
        assertThatThrownBy(() -> IpLiteral.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(text + " is not an IP address");
        assertThat(IpLiteral.isLiteral(text)).isFalse();
    }

    @Test
    void shouldExplainZoneIds() {
        assertThatThrownBy(() -> IpLiteral.parse("fe80::1%eth0"))
                .hasMessage("fe80::1%eth0 is not an IP address (zone ids are not allowed)");
    }

    @Test
    void shouldBuildInetAddressesWithoutLookup() {
        InetAddress v4 = IpLiteral.toInetAddress("192.0.2.7");
        assertThat(v4).isInstanceOf(Inet4Address.class);
        assertThat(v4.getHostAddress()).isEqualTo("192.0.2.7");
        assertThat(IpLiteral.toInetAddress("::1")).isInstanceOf(Inet6Address.class);
        // The JDK turns IPv4-mapped bytes into an Inet4Address.
        assertThat(IpLiteral.toInetAddress("::ffff:127.0.0.1")).isInstanceOf(Inet4Address.class)
                .matches(InetAddress::isLoopbackAddress);
    }

    @Test
    void shouldCompressOnlyTheLongestZeroRunAndNotASingleGroup() {
        assertThat(IpLiteral.format(IpLiteral.parse("1:0:0:2:0:0:0:3"))).isEqualTo("1:0:0:2::3");
        assertThat(IpLiteral.format(IpLiteral.parse("1:0:2:3:4:5:6:7"))).isEqualTo("1:0:2:3:4:5:6:7");
        assertThat(IpLiteral.format(IpLiteral.parse("1:0:0:2:3:0:0:4"))).isEqualTo("1::2:3:0:0:4");
    }
}
