package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code dns} section and the {@code ip:port} syntax of its resolvers. */
class DnsSectionTest {

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse(yaml, "conf/sluice.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors();
    }

    @Test
    void shouldReadResolversAndDurations() throws Exception {
        String yaml = """
                dns:
                  resolvers: ["127.0.0.1:5353", "[::1]:53", "192.0.2.53:53"]
                  timeout: 300ms
                  max_cache_ttl: 10m
                  negative_ttl: 0s
                """;
        DnsSettings dns = SettingsLoader.parse(yaml, "x.yaml").dns();

        assertThat(dns).isEqualTo(new DnsSettings(List.of("127.0.0.1:5353", "[::1]:53", "192.0.2.53:53"),
                Duration.ofMillis(300), Duration.ofMinutes(10), Duration.ZERO));
    }

    @Test
    void shouldRejectResolversThatAreNotAddressPortLiterals() {
        String yaml = """
                dns:
                  resolvers:
                    - 127.0.0.1
                    - dns.example:53
                    - "::1:53"
                    - 127.0.0.1:0
                    - "[127.0.0.1]:53"
                    - 127.0.0.1:53
                    - 127.0.0.1:53
                """;
        String form = "write an IP literal and a port, e.g. 127.0.0.1:53 or [::1]:53)";
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:3: dns.resolvers[0]: 127.0.0.1 is not an address:port (the port is missing; "
                        + form,
                "conf/sluice.yaml:4: dns.resolvers[1]: dns.example:53 is not an address:port (dns.example is not"
                        + " an IP address; " + form,
                "conf/sluice.yaml:5: dns.resolvers[2]: ::1:53 is not an address:port (put an IPv6 address in"
                        + " brackets; " + form,
                "conf/sluice.yaml:6: dns.resolvers[3]: 127.0.0.1:0 is not an address:port (0 is not a port"
                        + " (1-65535); " + form,
                "conf/sluice.yaml:7: dns.resolvers[4]: [127.0.0.1]:53 is not an address:port (brackets are only"
                        + " for IPv6; " + form,
                "conf/sluice.yaml:9: dns.resolvers[6]: 127.0.0.1:53 is already listed as dns.resolvers[5]");
    }

    @Test
    void shouldRejectOutOfRangeDurationsAndUnknownKeys() {
        String yaml = """
                dns:
                  timeout: 0s
                  max_cache_ttl: 8d
                  negative_ttl: 5
                  resolver: [127.0.0.1:53]
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:2: dns.timeout: 0s is below the minimum of 1ms",
                "conf/sluice.yaml:3: dns.max_cache_ttl: 8d is above the maximum of 7d",
                "conf/sluice.yaml:4: dns.negative_ttl: 5 has no unit (use ms, s, m, h or d, e.g. 30s)",
                "conf/sluice.yaml:5: dns.resolver: unknown key (did you mean resolvers?)");
    }

    @Test
    void shouldRejectAResolverListThatIsNotAList() {
        assertThat(errors("dns:\n  resolvers: 127.0.0.1:53\n")).containsExactly(
                "conf/sluice.yaml:2: dns.resolvers: expected a list, got 127.0.0.1:53");
    }

    @Test
    void shouldParseSocketAddressLiteralsWithoutLookups() throws Exception {
        assertThat(SocketAddressLiteral.parse("127.0.0.1:53"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 53));
        InetSocketAddress v6 = SocketAddressLiteral.parse("[2001:db8::1]:65535");
        assertThat(v6.getAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(v6.getPort()).isEqualTo(65535);
        assertThat(v6.isUnresolved()).isFalse();

        for (String bad : List.of("", ":53", "[::1]", "[::1]53", "[::1:53", "1.2.3.4:", "1.2.3.4:65536",
                "1.2.3.4:+53", "1.2.3.4:053x", "localhost:53", "[::1]:0")) {
            assertThatThrownBy(() -> SocketAddressLiteral.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not an address:port");
        }
    }
}
