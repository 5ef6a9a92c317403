package io.sluice.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.DnsSettings;
import io.sluice.testing.TestDnsServer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MxResolver#counters()}: one lookup per resolution, one failure of the right kind per failed one. */
class ResolutionCountersTest {

    private TestDnsServer dns;
    private MxResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start("test");
        resolver = new MxResolver(new DnsSettings(List.of(dns.resolverSpec()), Duration.ofSeconds(2),
                Duration.ofHours(1), Duration.ofMinutes(5)), false, Set.of(), new Random(1));
    }

    @AfterEach
    void stop() throws Exception {
        resolver.close();
        dns.close();
    }

    @Test
    void shouldCountEveryResolutionAndEachFailureByKind() throws Exception {
        dns.mx("ok.test", 10, "mx.ok.test").a("mx.ok.test", "192.0.2.1");
        dns.nullMx("nullmx.test");
        dns.mx("private.test", 10, "mx.private.test").a("mx.private.test", "10.0.0.5");
        dns.mx("broken.test", 10, "mx.broken.test").servfail("broken.test");
        dns.mx("bare.test", 10, "nowhere.bare.test").a("other.bare.test", "192.0.2.9");

        resolve("ok.test");
        resolve("ok.test"); // a cache hit is still a lookup
        resolve("missing.test");
        resolve("nullmx.test");
        resolve("private.test");
        resolve("broken.test");
        resolve("bare.test");
        resolve("bad..name");

        ResolutionCounters counters = resolver.counters();
        assertThat(counters.lookups()).isEqualTo(8);
        Map<ResolutionCounters.Failure, Long> failures = new EnumMap<>(ResolutionCounters.Failure.class);
        for (ResolutionCounters.Failure kind : ResolutionCounters.Failure.values()) {
            failures.put(kind, counters.failures(kind));
        }
        assertThat(failures).containsExactlyInAnyOrderEntriesOf(Map.of(
                ResolutionCounters.Failure.NXDOMAIN, 1L,
                ResolutionCounters.Failure.TEMPORARY, 1L,
                ResolutionCounters.Failure.NULL_MX, 1L,
                ResolutionCounters.Failure.REFUSED_PRIVATE, 1L,
                ResolutionCounters.Failure.NO_ADDRESS, 1L,
                ResolutionCounters.Failure.BAD_NAME, 1L));
    }

    private Destination resolve(String domain) throws Exception {
        return resolver.resolve(domain).get(10, TimeUnit.SECONDS);
    }
}
