package io.sluice.bench.jmh;

import io.sluice.bench.dns.ZoneDnsServer;
import io.sluice.config.DeliverySettings;
import io.sluice.config.DnsSettings;
import io.sluice.config.JournalSettings;
import io.sluice.config.JournalSettings.SyncPolicy;
import io.sluice.dns.MxResolver;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.Recovery;
import io.sluice.journal.WriterOptions;
import io.sluice.config.ShapingSettings;
import io.sluice.scheduler.BounceSink;
import io.sluice.shaping.PathPolicy;
import io.sluice.scheduler.DeliveryTask;
import io.sluice.scheduler.RecipientResult;
import io.sluice.scheduler.RetryPolicy;
import io.sluice.scheduler.Scheduler;
import io.sluice.scheduler.SchedulerOptions;
import io.sluice.scheduler.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler loop in steady state ({@link Scheduler#doWork}, docs/architecture.md "Threading": allocation-free apart
 * from the hand-off objects): one-recipient messages to a domain whose site is already resolved, each offered
 * ({@link Scheduler#offerQueued}), grouped, made ready and dispatched in one {@code doWork}, reported delivered
 * ({@link Scheduler#offerResult}) and recorded (an OUTCOME offered to a real {@link JournalWriter}) in the next.
 * Everything runs on the benchmark thread, so {@code -prof gc} B/op is the loop's allocation per message plus the
 * {@link TaskResult} the benchmark makes in place of the delivery stage (32 B). Events are off.
 *
 * <p>The domain is resolved once at setup through a {@link ZoneDnsServer}; the scheduler asks again only when the
 * answer is a minute old (one lookup per minute, negligible). OUTCOMEs name message ids the journal never had, so
 * the writer drops them after reading them from its ring (no disk growth). The fork gets the JVM flags Chronicle
 * and Agrona need on Java 17 (the same list as the root pom.xml property sluice.jvm.flags).
 *
 * <p>{@code shaping}: {@code off} (every path takes delivery.* limits, no rates), or {@code provider}: the site
 * belongs to a provider with a per-source and a total connection cap and message rates at every level (site, per
 * source, total; far above what the loop reaches, so none holds a message back): the difference between the two
 * is the per-message shaping decision at dispatch ({@code scheduler.PathGate}: group caps and three GCRA steps).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true"})
public class SchedulerLoopBenchmark {
    static final int MESSAGES = 1000;

    @Param({"off", "provider"})
    public String shaping;
    private static final List<String> RECIPIENT = List.of("user@steady.bench");
    private static final List<RecipientResult> DELIVERED = List.of(RecipientResult.delivered());

    private ZoneDnsServer dns;
    private MxResolver resolver;
    private Path dir;
    private Journal journal;
    private JournalWriter writer;
    private Scheduler scheduler;
    private DeliveryTask last;
    private long nextId = 1;

    @Setup
    public void setUp() throws Exception {
        dns = ZoneDnsServer.startInBackground(ZoneDnsServer.oneDestination("steady.bench", "127.0.0.2"),
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        DeliverySettings d = DeliverySettings.defaults("bench.test");
        DeliverySettings delivery = new DeliverySettings(d.mxPort(), true, d.ehloName(), d.bindAddress(), d.tls(),
                d.connectTimeout(), d.greetingTimeout(), d.commandTimeout(), d.dataInitiationTimeout(),
                d.dataBlockTimeout(), d.dataTerminationTimeout(), d.maxRecipientsPerMessage(),
                d.maxConnectionsPerSite(), d.maxDeliveriesPerConnection(), d.connectionMaxAge(), d.idleTimeout(),
                d.retryFirst(), d.retryMultiplier(), d.retryMax(), d.maxAge(), d.dsn(),
                d.assumeDeliveredOnDotTimeout());
        resolver = new MxResolver(new DnsSettings(List.of(dns.resolverSpec()), Duration.ofSeconds(2),
                Duration.ofHours(1), Duration.ofMinutes(5)), delivery);
        dir = Files.createTempDirectory("sluice-jmh-scheduler-");
        journal = Journal.open(new JournalSettings(dir, SyncPolicy.NONE, 0, Duration.ofHours(1)), 1 << 20);
        writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions());
        scheduler = new Scheduler(SchedulerOptions.from(delivery), RetryPolicy.from(delivery), resolver, task -> {
            last = task;
            return true;
        }, writer, BounceSink.NONE, SystemEpochClock.INSTANCE, new Random(1), () -> { });
        if (shaping.equals("provider")) {
            scheduler.changePathPolicy(PathPolicy.from(delivery, providerShaping()));
        }
        scheduler.offerQueued(nextId++, 0, System.currentTimeMillis(), RECIPIENT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (last == null) {
            scheduler.doWork();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("steady.bench was not resolved and dispatched");
            }
            Thread.sleep(1);
        }
        report();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long steadyStream() {
        long now = System.currentTimeMillis();
        for (int i = 0; i < MESSAGES; i++) {
            long id = nextId++;
            if (!scheduler.offerQueued(id, id, now, RECIPIENT)) {
                throw new IllegalStateException("queue full at " + id);
            }
            scheduler.doWork(); // the previous result recorded, this message dispatched
            if (last.messageId() != id) {
                throw new IllegalStateException("message " + id + " not dispatched in its cycle");
            }
            report();
        }
        return last.taskId();
    }

    /** A provider owning steady.bench's MX with limits at every level, none of them reached. */
    static ShapingSettings providerShaping() {
        ShapingSettings.Rate fast = new ShapingSettings.Rate(1_000_000_000L, Duration.ofSeconds(1), 1_000);
        ShapingSettings.PathLimits defaults = new ShapingSettings.PathLimits(10, fast, fast, 1_000_000, 100,
                Duration.ofSeconds(60), DeliverySettings.OutboundTls.OPPORTUNISTIC);
        ShapingSettings.GroupLimits group = new ShapingSettings.GroupLimits(10, fast, fast, 1_000_000);
        ShapingSettings.Provider provider = new ShapingSettings.Provider("bench", List.of(".steady.bench"),
                ShapingSettings.GroupLimits.NONE, group, group, null, List.of());
        return new ShapingSettings(Path.of("shaping.yaml"), null,
                new ShapingSettings.Rules(defaults, List.of(provider), List.of(), List.of()));
    }

    private void report() {
        if (!scheduler.offerResult(new TaskResult(last.taskId(), TaskResult.SiteSignal.CONNECTED, DELIVERED))) {
            throw new IllegalStateException("result refused");
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        scheduler.doWork();
        writer.close();
        journal.close();
        resolver.close();
        dns.close();
        TempDirs.deleteRecursively(dir);
    }
}
