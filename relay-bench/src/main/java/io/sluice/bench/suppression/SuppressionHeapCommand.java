package io.sluice.bench.suppression;

import io.sluice.bench.HeapUse;
import io.sluice.model.BounceReason;
import io.sluice.suppression.SuppressionEntry;
import io.sluice.suppression.SuppressionList;
import io.sluice.suppression.SuppressionScope;
import io.sluice.suppression.SuppressionSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice-bench suppression-heap}: the suppression list at scale (docs/BENCHMARKS.md, issue 13: 10 million
 * entries in at most 800 MiB of heap, lookups with p99 under 1 µs, loaded at start in at most 5 s). Writes a log of
 * {@code --entries} global entries (as bounces add them, in batches), closes it, then measures what the daemon does
 * at start: {@link SuppressionList#open} (replay into the index) timed, the heap used after a full GC before and
 * after, and {@code --lookups} RCPT checks ({@link SuppressionList#atRcpt}, half hits, half misses) one by one, their
 * latency in an HdrHistogram. One JSON line.
 */
@Command(name = "suppression-heap", mixinStandardHelpOptions = true,
        description = "Measure the suppression list's heap, load time and lookup latency at scale.")
public final class SuppressionHeapCommand implements Callable<Integer> {
    @Option(names = "--entries", defaultValue = "10000000", description = "entries (default 10000000)")
    int entries;

    @Option(names = "--lookups", defaultValue = "2000000", description = "timed lookups (default 2000000)")
    int lookups;

    @Option(names = "--dir", description = "where to write the log (default: a temporary directory, deleted after)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        boolean temporary = dir == null;
        Path where = temporary ? Files.createTempDirectory("sluice-suppression-heap") : dir;
        Path file = where.resolve("suppression.log");
        try {
            long now = System.currentTimeMillis();
            long writeStart = System.nanoTime();
            try (SuppressionList list = SuppressionList.open(file)) {
                List<SuppressionEntry> batch = new ArrayList<>(100_000);
                for (int i = 0; i < entries; i++) {
                    batch.add(new SuppressionEntry(address(i), SuppressionScope.GLOBAL, "", BounceReason.USER_UNKNOWN,
                            SuppressionSource.BOUNCE, now, 0));
                    if (batch.size() == 100_000) {
                        list.add(batch);
                        batch.clear();
                    }
                }
                list.add(batch);
            }
            long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
            long before = HeapUse.afterGc();
            long loadStart = System.nanoTime();
            SuppressionList list = SuppressionList.open(file);
            long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
            long after = HeapUse.afterGc();
            Random random = new Random(1);
            String[] probes = new String[1 << 16];
            for (int i = 0; i < probes.length; i++) {
                int n = random.nextInt(entries);
                probes[i] = i % 2 == 0 ? address(n) : "other" + n + "@example.org";
            }
            Histogram latency = new Histogram(3);
            long hits = 0;
            for (int i = 0; i < lookups; i++) {
                String probe = probes[i & (probes.length - 1)];
                long t0 = System.nanoTime();
                BounceReason r = list.atRcpt(probe, "shop.example", "app1", now);
                long t1 = System.nanoTime();
                latency.recordValue(t1 - t0);
                hits += r != null ? 1 : 0;
            }
            System.out.printf("{\"entries\":%d,\"size\":%d,\"log_bytes\":%d,\"write_ms\":%d,\"load_ms\":%d,"
                            + "\"heap_before_mib\":%.1f,\"heap_after_mib\":%.1f,\"heap_list_mib\":%.1f,"
                            + "\"lookups\":%d,\"hits\":%d,\"lookup_p50_ns\":%d,\"lookup_p99_ns\":%d,"
                            + "\"lookup_p999_ns\":%d}%n", entries, list.size(), Files.size(file), writeMillis,
                    loadMillis, before / 1048576.0, after / 1048576.0, (after - before) / 1048576.0, lookups, hits,
                    latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                    latency.getValueAtPercentile(99.9));
            list.close();
        } finally {
            if (temporary) {
                try (var files = Files.walk(where)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return 0;
    }

    private static String address(int i) {
        return "user" + i + "@example" + (i % 997) + ".net";
    }

}
