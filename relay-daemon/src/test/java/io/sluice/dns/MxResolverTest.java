package io.sluice.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.DnsSettings;
import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.testing.TestDnsServer;
import io.sluice.util.IpLiteral;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MX resolution against a real DNS server on loopback (UDP), through dnsjava's LookupSession and cache. */
class MxResolverTest {

    private TestDnsServer dns;
    private final List<MxResolver> resolvers = new ArrayList<>();

    @BeforeEach
    void startDns() throws Exception {
        dns = TestDnsServer.start("test");
    }

    @AfterEach
    void stopDns() throws Exception {
        resolvers.forEach(MxResolver::close);
        dns.close();
    }

    @Test
    void shouldOrderMxHostsByPreference() throws Exception {
        dns.mx("example.test", 20, "mx2.example.test").mx("example.test", 10, "mx1.example.test")
                .mx("example.test", 30, "mx3.example.test");
        dns.a("mx1.example.test", "192.0.2.1").a("mx2.example.test", "192.0.2.2").a("mx3.example.test", "192.0.2.3");

        Destination.Hosts hosts = hosts(resolve(resolver(), "example.test"));

        assertThat(hosts.hosts()).containsExactly(
                new MxHost("mx1.example.test", 10, List.of(ip("192.0.2.1"))),
                new MxHost("mx2.example.test", 20, List.of(ip("192.0.2.2"))),
                new MxHost("mx3.example.test", 30, List.of(ip("192.0.2.3"))));
    }

    @Test
    void shouldShuffleHostsOfEqualPreferenceAndKeepTheBackupLast() throws Exception {
        for (String h : List.of("a", "b", "c")) {
            dns.mx("spread.test", 10, h + ".spread.test").a(h + ".spread.test", "192.0.2.10");
        }
        dns.mx("spread.test", 20, "backup.spread.test").a("backup.spread.test", "192.0.2.20");
        MxResolver first = resolver(new Random(7));
        MxResolver second = resolver(new Random(7));

        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            List<String> names = names(resolve(first, "spread.test"));
            assertThat(names).hasSize(4).endsWith("backup.spread.test");
            assertThat(names.subList(0, 3)).containsExactlyInAnyOrder("a.spread.test", "b.spread.test",
                    "c.spread.test");
            assertThat(names(resolve(second, "spread.test"))).as("same seed, same order").isEqualTo(names);
            orders.add(names);
        }
        assertThat(orders).as("orders seen among 6 possible").hasSizeGreaterThanOrEqualTo(3);
        assertThat(dns.queries("spread.test", "MX")).as("one query per resolver, then the cache").isEqualTo(2);
    }

    @Test
    void shouldReturnIpv4ThenIpv6AddressesOfEachHost() throws Exception {
        dns.mx("dual.test", 10, "mx.dual.test").a("mx.dual.test", "192.0.2.1", "192.0.2.2")
                .aaaa("mx.dual.test", "2001:db8::25");

        List<InetAddress> addresses = hosts(resolve(resolver(), "dual.test")).hosts().get(0).addresses();

        assertThat(addresses).hasSize(3);
        assertThat(addresses.subList(0, 2)).containsExactlyInAnyOrder(ip("192.0.2.1"), ip("192.0.2.2"))
                .allMatch(a -> a instanceof Inet4Address);
        assertThat(addresses.get(2)).isEqualTo(ip("2001:db8::25")).isInstanceOf(Inet6Address.class);
        assertThat(dns.queries("mx.dual.test", "A")).isEqualTo(1);
        assertThat(dns.queries("mx.dual.test", "AAAA")).isEqualTo(1);
    }

    @Test
    void shouldUseTheDomainItselfAsImplicitMxWhenItHasNoMx() throws Exception {
        dns.a("plain.test", "198.51.100.7").aaaa("plain.test", "2001:db8::7");

        Destination.Hosts hosts = hosts(resolve(resolver(), "Plain.Test."));

        assertThat(hosts.hosts()).containsExactly(
                new MxHost("plain.test", 0, List.of(ip("198.51.100.7"), ip("2001:db8::7"))));
        assertThat(hosts.site()).isEqualTo(SiteKey.of(List.of("plain.test")));
        assertThat(dns.queries("plain.test", "MX")).isEqualTo(1);
    }

    @Test
    void shouldBounceANullMxDomain() throws Exception {
        dns.nullMx("nomail.test").a("nomail.test", "192.0.2.99");

        Destination d = resolve(resolver(), "nomail.test");

        assertThat(d).isEqualTo(new Destination.Permanent(556, "5.1.10", "Recipient address has null MX"));
        assertThat(((Destination.Permanent) d).reply()).isEqualTo("556 5.1.10 Recipient address has null MX");
        assertThat(dns.queries("nomail.test", "A")).as("no implicit MX for a null MX").isZero();
    }

    @Test
    void shouldBounceANonexistentDomainWith512() throws Exception {
        Destination d = resolve(resolver(), "missing.test");

        assertThat(d).isEqualTo(new Destination.Permanent(550, "5.1.2",
                "Host or domain name not found: missing.test does not exist (NXDOMAIN)"));
    }

    @Test
    void shouldBounceAnImplicitMxDomainWithoutAddresses() throws Exception {
        dns.a("www.bare.test", "192.0.2.80"); // bare.test exists (a name below it) but has no MX, A or AAAA

        Destination d = resolve(resolver(), "bare.test");

        assertThat(d).isEqualTo(new Destination.Permanent(550, "5.1.2",
                "Host or domain name not found: bare.test has no MX and no address records"));
        assertThat(dns.queries("bare.test", "A")).isEqualTo(1);
        assertThat(dns.queries("bare.test", "AAAA")).isEqualTo(1);
    }

    @Test
    void shouldDeferOnServfail() throws Exception {
        dns.mx("broken.test", 10, "mx.broken.test").a("mx.broken.test", "192.0.2.1").servfail("broken.test");

        Destination d = resolve(resolver(), "broken.test");

        assertThat(d).isEqualTo(new Destination.Temporary(451, "4.4.3",
                "DNS lookup of broken.test/MX failed: SERVFAIL"));
        assertThat(((Destination.Temporary) d).reply()).startsWith("451 4.4.3 DNS lookup of broken.test/MX");

        dns.answerNormally("broken.test");
        assertThat(names(resolve(resolvers.get(0), "broken.test"))).as("SERVFAIL is not cached")
                .containsExactly("mx.broken.test");
    }

    @Test
    void shouldDeferWhenTheOnlyMxHostsAddressLookupFails() throws Exception {
        dns.mx("flaky.test", 10, "mx.flaky.test").servfail("mx.flaky.test");

        Destination d = resolve(resolver(), "flaky.test");

        assertThat(d).isInstanceOf(Destination.Temporary.class);
        assertThat(((Destination.Temporary) d).text()).matches("DNS lookup of mx\\.flaky\\.test/A+ failed: SERVFAIL");
    }

    @Test
    void shouldDeferWhenTheServerDoesNotAnswer() throws Exception {
        dns.drop("slow.test");
        MxResolver resolver = resolver(Duration.ofMillis(300), Duration.ofHours(1), Duration.ofMinutes(5));

        long start = System.nanoTime();
        Destination d = resolve(resolver, "slow.test");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(d).isEqualTo(new Destination.Temporary(451, "4.4.3",
                "DNS lookup of slow.test/MX failed: DNS timeout after 600ms (no answer from DNS resolver "
                        + dns.resolverSpec() + ")"));
        assertThat(elapsedMs).as("2 attempts x 300ms, enforced by us").isBetween(550L, 3000L);
        assertThat(dns.queries("slow.test", "MX")).isPositive();
        assertThat(resolver.health().failure()).as("reported to operators until an answer comes")
                .isEqualTo("DNS timeout after 600ms (no answer from DNS resolver " + dns.resolverSpec() + ")");
        assertThat(resolver.health().failingSinceMillis()).isPositive();

        dns.mx("fine.test", 10, "mx.fine.test").a("mx.fine.test", "192.0.2.10");
        resolve(resolver, "fine.test");
        assertThat(resolver.health().failure()).as("any answer clears it").isNull();
        assertThat(resolver.health().failingSinceMillis()).isEqualTo(-1);
    }

    @Test
    void shouldSkipMxHostsWithoutAddresses() throws Exception {
        dns.mx("partial.test", 10, "ghost.partial.test").mx("partial.test", 20, "real.partial.test")
                .a("real.partial.test", "203.0.113.20");

        assertThat(names(resolve(resolver(), "partial.test"))).containsExactly("real.partial.test");
    }

    @Test
    void shouldBounceWhenNoMxHostHasAnAddress() throws Exception {
        dns.mx("hollow.test", 10, "ghost1.hollow.test").mx("hollow.test", 20, "ghost2.hollow.test");

        assertThat(resolve(resolver(), "hollow.test")).isEqualTo(new Destination.Permanent(550, "5.4.4",
                "No MX host of hollow.test has an address"));
    }

    @Test
    void shouldDropPrivateAddressesAndKeepPublicOnes() throws Exception {
        dns.mx("mixed.test", 10, "inside.mixed.test").mx("mixed.test", 20, "outside.mixed.test");
        dns.a("inside.mixed.test", "10.1.2.3", "127.0.0.1").aaaa("inside.mixed.test", "fc00::1", "fe80::1", "::1");
        dns.a("outside.mixed.test", "203.0.113.5", "192.168.1.1").aaaa("outside.mixed.test", "::ffff:172.16.0.9");

        Destination.Hosts hosts = hosts(resolve(resolver(), "mixed.test"));

        assertThat(hosts.hosts()).containsExactly(new MxHost("outside.mixed.test", 20, List.of(ip("203.0.113.5"))));
        assertThat(hosts.site()).hasToString("outside.mixed.test");
    }

    @Test
    void shouldRefuseAnMxThatPointsOnlyAtPrivateOrLocalAddresses() throws Exception {
        dns.mx("internal.test", 10, "mx.internal.test")
                .a("mx.internal.test", "192.168.1.10", "172.16.0.1", "169.254.1.1", "100.64.0.1", "0.0.0.0");
        dns.a("loop.test", "127.0.0.1"); // implicit MX at loopback

        MxResolver resolver = resolver();
        assertThat(resolve(resolver, "internal.test")).isEqualTo(new Destination.Permanent(550, "5.4.4",
                "MX points to a private or local address (internal.test)"));
        assertThat(resolve(resolver, "loop.test")).isEqualTo(new Destination.Permanent(550, "5.4.4",
                "MX points to a private or local address (loop.test)"));
    }

    @Test
    void shouldRefuseALoopbackMxAlikeWhetherTheResolverAnswersAaaaWithNodataOrRefused() throws Exception {
        dns.mx("nodata.test", 10, "mx.nodata.test").a("mx.nodata.test", "127.0.0.1");
        dns.mx("dnsmasq.test", 10, "mx.dnsmasq.test").a("mx.dnsmasq.test", "127.0.0.1")
                .refuse("mx.dnsmasq.test", "AAAA");

        MxResolver resolver = resolver();
        assertThat(resolve(resolver, "nodata.test")).isEqualTo(new Destination.Permanent(550, "5.4.4",
                "MX points to a private or local address (nodata.test)"));
        assertThat(resolve(resolver, "dnsmasq.test")).as("same cause, same answer: decided on the A that resolved")
                .isEqualTo(new Destination.Permanent(550, "5.4.4",
                        "MX points to a private or local address (dnsmasq.test)"));
        assertThat(dns.queries("mx.dnsmasq.test", "AAAA")).isPositive();
    }

    @Test
    void shouldStillDeferWhenAnotherMxHostCouldNotBeResolvedAtAll() throws Exception {
        dns.mx("half.test", 10, "mx1.half.test").mx("half.test", 20, "mx2.half.test")
                .a("mx1.half.test", "127.0.0.1").a("mx2.half.test", "203.0.113.30").servfail("mx2.half.test");

        Destination d = resolve(resolver(), "half.test");

        assertThat(d).as("mx2 may resolve to a public address later").isInstanceOf(Destination.Temporary.class);
        assertThat(((Destination.Temporary) d).text()).startsWith("DNS lookup of mx2.half.test/");
    }

    @Test
    void shouldAllowPrivateMxWhenConfigured() throws Exception {
        dns.mx("lab.test", 10, "sink.lab.test").a("sink.lab.test", "127.0.0.2");
        Settings settings = SettingsLoader.parse("dns:\n  resolvers: [\"" + dns.resolverSpec() + "\"]\n"
                + "delivery:\n  allow_private_mx: true\n", "test.yaml");
        MxResolver resolver = track(new MxResolver(settings.dns(), settings.delivery()));

        assertThat(hosts(resolve(resolver, "lab.test")).hosts())
                .containsExactly(new MxHost("sink.lab.test", 10, List.of(ip("127.0.0.2"))));
    }

    @Test
    void shouldRefuseThisMachinesOwnAddresses() throws Exception {
        dns.mx("self.test", 10, "mx.self.test").a("mx.self.test", "203.0.113.9");
        MxResolver pretendingToBe9 = track(new MxResolver(settings(Duration.ofSeconds(2), Duration.ofHours(1),
                Duration.ofMinutes(5)), false, Set.of(ip("203.0.113.9")), new Random(1)));

        assertThat(resolve(pretendingToBe9, "self.test")).isEqualTo(new Destination.Permanent(550, "5.4.4",
                "MX points to a private or local address (self.test)"));
        assertThat(names(resolve(resolver(), "self.test"))).as("another machine may deliver there")
                .containsExactly("mx.self.test");
    }

    @Test
    void shouldGiveDomainsAtTheSameMxHostsTheSameSiteKey() throws Exception {
        dns.a("mx1.shared.test", "192.0.2.1").a("mx2.shared.test", "192.0.2.2");
        dns.mx("a.test", 10, "mx1.shared.test").mx("a.test", 20, "mx2.shared.test");
        dns.mx("b.test", 5, "MX2.Shared.Test").mx("b.test", 50, "mx1.shared.test");
        dns.mx("c.test", 10, "mx1.shared.test");
        MxResolver resolver = resolver();

        SiteKey a = hosts(resolve(resolver, "a.test")).site();
        SiteKey b = hosts(resolve(resolver, "b.test")).site();
        SiteKey c = hosts(resolve(resolver, "c.test")).site();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a).hasToString("mx1.shared.test,mx2.shared.test");
        assertThat(c.names()).containsExactly("mx1.shared.test");
    }

    @Test
    void shouldAnswerFromTheCacheWithinTheTtl() throws Exception {
        dns.ttl(60).negativeTtl(60);
        dns.mx("cached.test", 10, "mx.cached.test").a("mx.cached.test", "192.0.2.1"); // AAAA: NODATA
        MxResolver resolver = resolver();

        Destination first = resolve(resolver, "cached.test");
        Destination missing = resolve(resolver, "gone.test");
        int queries = dns.totalQueries();
        Destination again = resolve(resolver, "cached.test");
        Destination missingAgain = resolve(resolver, "gone.test");

        assertThat(queries).as("MX, A, AAAA, then MX of gone.test").isEqualTo(4);
        assertThat(dns.totalQueries()).as("positive and negative answers cached").isEqualTo(queries);
        assertThat(again).isEqualTo(first);
        assertThat(missingAgain).isEqualTo(missing).isInstanceOf(Destination.Permanent.class);
    }

    @Test
    void shouldQueryAgainOnceTheTtlHasExpired() throws Exception {
        dns.ttl(1).negativeTtl(1);
        dns.mx("short.test", 10, "mx.short.test").a("mx.short.test", "192.0.2.1");
        MxResolver resolver = resolver();

        resolve(resolver, "short.test");
        resolve(resolver, "gone.test");
        Thread.sleep(1100); // dnsjava expires entries at whole-second boundaries: ttl 1 is gone within 1s
        resolve(resolver, "short.test");
        resolve(resolver, "gone.test");

        assertThat(dns.queries("short.test", "MX")).isEqualTo(2);
        assertThat(dns.queries("mx.short.test", "A")).isEqualTo(2);
        assertThat(dns.queries("mx.short.test", "AAAA")).as("negative answer expired too").isEqualTo(2);
        assertThat(dns.queries("gone.test", "MX")).isEqualTo(2);
    }

    @Test
    void shouldCapCachedTtlsAtTheConfiguredMaximums() throws Exception {
        dns.ttl(3600).negativeTtl(3600);
        dns.mx("long.test", 10, "mx.long.test").a("mx.long.test", "192.0.2.1");
        MxResolver resolver = resolver(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1));

        resolve(resolver, "long.test");
        resolve(resolver, "gone.test");
        Thread.sleep(1100);
        resolve(resolver, "long.test");
        resolve(resolver, "gone.test");

        assertThat(dns.queries("long.test", "MX")).as("dns.max_cache_ttl caps a 1h TTL").isEqualTo(2);
        assertThat(dns.queries("gone.test", "MX")).as("dns.negative_ttl caps a 1h SOA minimum").isEqualTo(2);
    }

    @Test
    void shouldConsiderAtMostTenMxHosts() throws Exception {
        for (int i = 1; i <= 12; i++) {
            dns.mx("many.test", i, "mx" + i + ".many.test").a("mx" + i + ".many.test", "192.0.2." + i);
        }

        assertThat(names(resolve(resolver(), "many.test"))).hasSize(MxResolver.MAX_MX_HOSTS)
                .startsWith("mx1.many.test").endsWith("mx10.many.test");
        assertThat(dns.queries("mx11.many.test", "A")).isZero();
    }

    @Test
    void shouldBounceAMalformedDomainWithoutAQuery() throws Exception {
        MxResolver resolver = resolver();
        for (String bad : List.of("", ".", "two..dots.test", "x".repeat(64) + ".test")) {
            Destination d = resolve(resolver, bad);
            assertThat(d).as(bad).isInstanceOf(Destination.Permanent.class);
            assertThat(((Destination.Permanent) d).enhancedStatus()).isEqualTo("5.1.2");
        }
        assertThat(dns.totalQueries()).isZero();
    }

    @Test
    void shouldDeferEveryResolutionAfterClose() throws Exception {
        dns.mx("late.test", 10, "mx.late.test").a("mx.late.test", "192.0.2.1");
        MxResolver resolver = resolver();
        resolver.close();

        Destination d = resolve(resolver, "late.test");

        assertThat(d).isEqualTo(new Destination.Temporary(451, "4.4.3",
                "DNS lookup of late.test/MX failed: DNS resolver is closed"));
        assertThat(dns.totalQueries()).isZero();
    }

    private MxResolver resolver() {
        return resolver(new Random(1));
    }

    private MxResolver resolver(Random random) {
        return track(new MxResolver(settings(Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofMinutes(5)),
                false, Set.of(), random));
    }

    private MxResolver resolver(Duration timeout, Duration maxCacheTtl, Duration negativeTtl) {
        return track(new MxResolver(settings(timeout, maxCacheTtl, negativeTtl), false, Set.of(), new Random(1)));
    }

    private DnsSettings settings(Duration timeout, Duration maxCacheTtl, Duration negativeTtl) {
        return new DnsSettings(List.of(dns.resolverSpec()), timeout, maxCacheTtl, negativeTtl);
    }

    private MxResolver track(MxResolver resolver) {
        resolvers.add(resolver);
        return resolver;
    }

    private static Destination resolve(MxResolver resolver, String domain) throws Exception {
        return resolver.resolve(domain).get(10, TimeUnit.SECONDS);
    }

    private static Destination.Hosts hosts(Destination d) {
        assertThat(d).isInstanceOf(Destination.Hosts.class);
        return (Destination.Hosts) d;
    }

    private static List<String> names(Destination d) {
        return hosts(d).hosts().stream().map(MxHost::name).toList();
    }

    private static InetAddress ip(String literal) {
        return IpLiteral.toInetAddress(literal);
    }
}
