package io.sluice.bench.shaping;

import io.sluice.bench.HeapUse;
import io.sluice.bench.dns.ZoneDnsServer;
import io.sluice.config.DeliverySettings;
import io.sluice.config.DnsSettings;
import io.sluice.config.JournalSettings;
import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.config.ShapingSettings;
import io.sluice.dns.MxResolver;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.Recovery;
import io.sluice.journal.WriterOptions;
import io.sluice.routing.Router;
import io.sluice.scheduler.BounceSink;
import io.sluice.scheduler.DeliveryTask;
import io.sluice.scheduler.RecipientResult;
import io.sluice.scheduler.RetryPolicy;
import io.sluice.scheduler.Scheduler;
import io.sluice.scheduler.SchedulerOptions;
import io.sluice.scheduler.TaskResult;
import io.sluice.shaping.PathPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.agrona.concurrent.SystemEpochClock;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Zone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice-bench shaping-heap}: the heap the scheduler's shaping state takes at scale (docs/BENCHMARKS.md,
 * issue 12: "10,000 (source, provider) paths and 100,000 sites in memory"). A loopback DNS zone gives each of
 * {@code --sites} domains its own MX host (so its own site), spread over {@code --providers} providers of the shaping
 * rules; a pool of {@code --sources} sources takes the mail; one message per domain goes through a real
 * {@link Scheduler} (resolution, placement, shaping at dispatch) and is reported delivered at once. Heap used after
 * a full GC is measured before the scheduler exists and after every message is done (scheduler, sites, ready
 * queues, (source, provider) groups and DNS cache alive), and printed as one JSON line.
 */
@Command(name = "shaping-heap", mixinStandardHelpOptions = true,
        description = "Measure the scheduler's heap with many sites and (source, provider) paths.")
public final class ShapingHeapCommand implements Callable<Integer> {
    @Option(names = "--sites", defaultValue = "100000", description = "domains, each its own site (default 100000)")
    int sites;

    @Option(names = "--providers", defaultValue = "1000", description = "providers the sites spread over (1000)")
    int providers;

    @Option(names = "--sources", defaultValue = "10", description = "sources of the one pool (default 10)")
    int sources;

    @Option(names = "--shaping", defaultValue = "on", description = "on (providers, groups) or off, to compare")
    String shapingMode;

    private final ArrayDeque<DeliveryTask> out = new ArrayDeque<>();

    @Override
    public Integer call() throws Exception {
        Zone zone = zone();
        long before = HeapUse.afterGc();
        Path dir = Files.createTempDirectory("sluice-shaping-heap-");
        try (ZoneDnsServer dns = ZoneDnsServer.startInBackground(zone,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DeliverySettings d = DeliverySettings.defaults("bench.test");
            DeliverySettings delivery = new DeliverySettings(d.mxPort(), true, d.ehloName(), d.bindAddress(),
                    d.tls(), d.connectTimeout(), d.greetingTimeout(), d.commandTimeout(), d.dataInitiationTimeout(),
                    d.dataBlockTimeout(), d.dataTerminationTimeout(), d.maxRecipientsPerMessage(),
                    d.maxConnectionsPerSite(), d.maxDeliveriesPerConnection(), d.connectionMaxAge(),
                    d.idleTimeout(), d.retryFirst(), d.retryMultiplier(), d.retryMax(), d.maxAge(), d.dsn(),
                    d.assumeDeliveredOnDotTimeout());
            MxResolver resolver = new MxResolver(new DnsSettings(List.of(dns.resolverSpec()), Duration.ofSeconds(5),
                    Duration.ofHours(1), Duration.ofMinutes(5)), delivery);
            Journal journal = Journal.open(new JournalSettings(dir, JournalSettings.SyncPolicy.NONE, 0,
                    Duration.ofHours(1)), 1 << 20);
            JournalWriter writer = JournalWriter.start(journal, Recovery.recover(journal), new WriterOptions());
            // Retries a second apart: a DNS answer the single-threaded zone server drops under load is asked again soon.
            Scheduler scheduler = new Scheduler(SchedulerOptions.from(delivery), new RetryPolicy(1_000, 1.0, 1_000,
                    3_600_000), resolver,
                    task -> out.add(task), writer, BounceSink.NONE, SystemEpochClock.INSTANCE, new Random(1), () -> { });
            Settings egress = SettingsLoader.parse(egressYaml(), "shaping-heap.yaml");
            scheduler.changeEgress(Router.compile(egress.egress()), Set.of());
            scheduler.changePathPolicy("off".equals(shapingMode) ? PathPolicy.from(delivery)
                    : PathPolicy.from(delivery, shaping()));
            long started = System.nanoTime();
            int offered = 0;
            long done = 0;
            List<RecipientResult> delivered = List.of(RecipientResult.delivered());
            while (done < sites) {
                while (offered < sites && offered - done < 20_000 && scheduler.offerQueued(offered + 1, offered + 1,
                        System.currentTimeMillis(), List.of("u@d" + offered + ".mem.bench"))) {
                    offered++;
                }
                scheduler.doWork();
                DeliveryTask t;
                while ((t = out.poll()) != null) {
                    scheduler.offerResult(new TaskResult(t.taskId(), TaskResult.SiteSignal.CONNECTED, delivered));
                    done++;
                }
                if (System.nanoTime() - started > 600_000_000_000L) {
                    throw new IllegalStateException("not done in 10 minutes: " + done + " of " + sites);
                }
            }
            for (int i = 0; i < 100; i++) {
                scheduler.doWork();
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            long after = HeapUse.afterGc();
            System.out.printf("{\"shaping\":\"%s\",\"sites\":%d,\"providers\":%d,\"sources\":%d,\"seconds\":%d,"
                            + "\"heap_before_bytes\":%d,\"heap_after_bytes\":%d,\"delta_bytes\":%d,\"bytes_per_site\":%d}%n",
                    shapingMode, sites, providers, sources, seconds, before, after, after - before,
                    (after - before) / sites);
            writer.close();
            journal.close();
            resolver.close();
            if (scheduler.counters().inFlightRecipients() != 0) {
                throw new IllegalStateException("still in flight");
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }


    private Zone zone() throws Exception {
        Name origin = Name.fromString("mem.bench.");
        Name ns = Name.fromString("ns.mem.bench.");
        List<Record> records = new ArrayList<>(2 + 2 * sites);
        records.add(new SOARecord(origin, DClass.IN, 3600, ns, Name.fromString("hostmaster.mem.bench."), 1, 3600,
                600, 86400, 300));
        records.add(new NSRecord(origin, DClass.IN, 3600, ns));
        InetAddress address = InetAddress.getByName("127.0.0.2");
        for (int i = 0; i < sites; i++) {
            Name mx = Name.fromString("mx" + i + ".p" + (i % providers) + ".mem.bench.");
            records.add(new MXRecord(Name.fromString("d" + i + ".mem.bench."), DClass.IN, 3600, 10, mx));
            records.add(new ARecord(mx, DClass.IN, 3600, address));
        }
        return new Zone(origin, records.toArray(new Record[0]));
    }

    private String egressYaml() {
        StringBuilder y = new StringBuilder("sources:\n");
        for (int i = 0; i < sources; i++) {
            y.append("  - {name: s").append(i).append("}\n");
        }
        y.append("pools:\n  - name: default\n    sources:\n");
        for (int i = 0; i < sources; i++) {
            y.append("      - {source: s").append(i).append(", weight: 1}\n");
        }
        return y.toString();
    }

    private ShapingSettings shaping() {
        ShapingSettings.Rate fast = new ShapingSettings.Rate(1_000_000_000L, Duration.ofSeconds(1), 1_000);
        ShapingSettings.PathLimits defaults = new ShapingSettings.PathLimits(10, fast, fast, 100, 100,
                Duration.ofSeconds(60), DeliverySettings.OutboundTls.OPPORTUNISTIC);
        ShapingSettings.GroupLimits perSource = new ShapingSettings.GroupLimits(5, fast, fast, 50);
        ShapingSettings.GroupLimits total = new ShapingSettings.GroupLimits(50, fast, null, null);
        List<ShapingSettings.Provider> list = new ArrayList<>(providers);
        for (int j = 0; j < providers; j++) {
            list.add(new ShapingSettings.Provider("p" + j, List.of(".p" + j + ".mem.bench"),
                    ShapingSettings.GroupLimits.NONE, perSource, total, null, List.of()));
        }
        return new ShapingSettings(Path.of("shaping.yaml"), null,
                new ShapingSettings.Rules(defaults, list, List.of(), List.of()));
    }
}
