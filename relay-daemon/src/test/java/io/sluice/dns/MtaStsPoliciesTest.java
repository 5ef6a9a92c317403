package io.sluice.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.sluice.config.DeliverySettings;
import io.sluice.config.DnsSettings;
import io.sluice.config.MtaStsSettings;
import io.sluice.testing.SelfSignedPem;
import io.sluice.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy cache through {@link MxResolver#resolve}, against the test DNS server and a loopback HTTPS policy
 * host: a policy is fetched once per TXT id, fetched again when the id changes, kept when the TXT record vanishes or
 * the policy host fails, kept across a restart (the cache file), refreshed in the background past half its max_age;
 * a redirect, an untrusted certificate or a malformed policy is no policy.
 */
class MtaStsPoliciesTest {
    @TempDir
    Path dir;

    private TestDnsServer dns;
    private HttpsServer https;
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<String> body = new AtomicReference<>(
            "version: STSv1\nmode: enforce\nmx: mx.good.test\nmax_age: 86400\n");
    private final AtomicInteger status = new AtomicInteger(200);
    private SelfSignedPem policyCert;
    private final List<MxResolver> resolvers = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dns = TestDnsServer.start("test");
        dns.mx("a.test", 10, "mx.good.test").mx("a.test", 20, "mx.other.test")
                .a("mx.good.test", "127.0.0.2").a("mx.other.test", "127.0.0.3")
                .txt("_mta-sts.a.test", "v=STSv1; id=1").a("mta-sts.a.test", "127.0.0.5");
        policyCert = SelfSignedPem.create(dir, "mta-sts.a.test", "mta-sts.a.test");
        https = HttpsServer.create(new InetSocketAddress("127.0.0.5", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(((JdkSslContext) SslContextBuilder
                .forServer(policyCert.cert().toFile(), policyCert.key().toFile()).sslProvider(SslProvider.JDK)
                .build()).context()));
        https.createContext("/.well-known/mta-sts.txt", exchange -> {
            fetches.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            if (status.get() == 301) {
                exchange.getResponseHeaders().set("Location", "https://elsewhere.test/");
            }
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        https.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        resolvers.forEach(MxResolver::close);
        https.stop(0);
        dns.close();
    }

    private MxResolver resolver(Path caFile) {
        return resolver(caFile, dir);
    }

    private MxResolver resolver(Path caFile, Path cacheDir) {
        MxResolver r = new MxResolver(new DnsSettings(List.of(dns.resolverSpec()), Duration.ofSeconds(2),
                Duration.ZERO, Duration.ZERO), deliveryTrusting(caFile),
                new MtaStsSettings(true, https.getAddress().getPort(), Duration.ofSeconds(3)), cacheDir);
        resolvers.add(r);
        return r;
    }

    private static Destination resolve(MxResolver r) throws Exception {
        return r.resolve("a.test").get(10, TimeUnit.SECONDS);
    }

    private static List<String> hosts(Destination d) {
        assertThat(d).isInstanceOf(Destination.Hosts.class);
        return ((Destination.Hosts) d).hosts().stream().map(MxHost::name).toList();
    }

    @Test
    void shouldFetchOncePerIdAndAgainWhenTheIdChanges() throws Exception {
        MxResolver r = resolver(policyCert.cert());
        Destination first = resolve(r);
        assertThat(hosts(first)).containsExactly("mx.good.test");
        assertThat(((Destination.Hosts) first).site().mtaSts()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        resolve(r);
        assertThat(fetches.get()).isEqualTo(1);

        body.set("version: STSv1\nmode: testing\nmx: mx.good.test\nmax_age: 86400\n");
        dns.remove("_mta-sts.a.test").txt("_mta-sts.a.test", "v=STSv1; id=2");
        Destination second = resolve(r);
        assertThat(fetches.get()).isEqualTo(2);
        assertThat(hosts(second)).containsExactly("mx.good.test", "mx.other.test");
        assertThat(((Destination.Hosts) second).site().mtaSts()).isEqualTo(MtaStsPolicy.Mode.TESTING);
        assertThat(r.mtaSts().counters().failures(MtaStsPolicy.Mode.TESTING, MtaStsCounters.Failure.MX_MISMATCH))
                .isEqualTo(1);
    }

    @Test
    void shouldKeepACachedPolicyWhenTheRecordVanishesOrThePolicyHostFails() throws Exception {
        MxResolver r = resolver(policyCert.cert());
        assertThat(hosts(resolve(r))).containsExactly("mx.good.test");

        dns.remove("_mta-sts.a.test");
        assertThat(hosts(resolve(r))).as("a vanished record does not withdraw a policy").containsExactly(
                "mx.good.test");

        status.set(500);
        dns.txt("_mta-sts.a.test", "v=STSv1; id=2");
        assertThat(hosts(resolve(r))).as("the new id's fetch failed: the cached policy holds")
                .containsExactly("mx.good.test");
        assertThat(r.mtaSts().counters().fetchFailedCount()).isEqualTo(1);
        resolve(r);
        assertThat(fetches.get()).as("a failed id is not fetched again at once").isEqualTo(2);
    }

    @Test
    void shouldDeliverAsWithoutAPolicyWhenTheFirstFetchFails() throws Exception {
        for (int code : new int[] {404, 301}) {
            status.set(code);
            MxResolver r = resolver(policyCert.cert(), Files.createDirectories(dir.resolve("s" + code)));
            Destination d = resolve(r);
            assertThat(hosts(d)).containsExactly("mx.good.test", "mx.other.test");
            assertThat(((Destination.Hosts) d).site().mtaSts()).isNull();
            assertThat(r.mtaSts().counters().fetchFailedCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseAPolicyHostWhoseCertificateIsNotTrusted() throws Exception {
        SelfSignedPem stranger = SelfSignedPem.create(Files.createDirectories(dir.resolve("other")), "x.test",
                "x.test");
        MxResolver r = resolver(stranger.cert());
        Destination d = resolve(r);
        assertThat(((Destination.Hosts) d).site().mtaSts()).isNull();
        assertThat(fetches.get()).as("the handshake failed before any request").isZero();
        assertThat(r.mtaSts().counters().fetchFailedCount()).isEqualTo(1);
    }

    @Test
    void shouldKeepPoliciesAcrossARestartThroughTheCacheFile() throws Exception {
        resolve(resolver(policyCert.cert()));
        Path file = dir.resolve(MtaStsCacheFile.FILE_NAME);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file)); // written after the resolution
        assertThat(Files.readString(file)).startsWith("a.test\t1\tenforce\t86400\t");
        https.stop(0);
        MxResolver restarted = resolver(policyCert.cert());
        Destination d = resolve(restarted);
        assertThat(hosts(d)).containsExactly("mx.good.test");
        assertThat(restarted.mtaSts().counters().fetchedCount()).isZero();
    }

    @Test
    void shouldRefreshInTheBackgroundPastHalfTheMaxAge() throws Exception {
        body.set("version: STSv1\nmode: enforce\nmx: mx.good.test\nmax_age: 2\n");
        MxResolver r = resolver(policyCert.cert());
        resolve(r);
        body.set("version: STSv1\nmode: testing\nmx: mx.good.test\nmax_age: 60\n");
        Thread.sleep(1_100);
        Destination stale = resolve(r);
        assertThat(((Destination.Hosts) stale).site().mtaSts()).as("the cached policy serves this resolution")
                .isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        await().atMost(Duration.ofSeconds(5)).until(() -> fetches.get() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                ((Destination.Hosts) resolve(r)).site().mtaSts() == MtaStsPolicy.Mode.TESTING);
        assertThat(fetches.get()).as("the refreshed policy came from the cache").isEqualTo(2);
    }

    private static DeliverySettings deliveryTrusting(Path caFile) {
        DeliverySettings d = DeliverySettings.defaults("sluice.test");
        return new DeliverySettings(d.mxPort(), true, d.ehloName(), null, d.tls(), d.connectTimeout(),
                d.greetingTimeout(), d.commandTimeout(), d.dataInitiationTimeout(), d.dataBlockTimeout(),
                d.dataTerminationTimeout(), d.maxRecipientsPerMessage(), d.maxConnectionsPerSite(),
                d.maxDeliveriesPerConnection(), d.connectionMaxAge(), d.idleTimeout(), d.retryFirst(),
                d.retryMultiplier(), d.retryMax(), d.maxAge(), d.dsn(), d.assumeDeliveredOnDotTimeout(), caFile);
    }
}
