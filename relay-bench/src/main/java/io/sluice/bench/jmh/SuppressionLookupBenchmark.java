package io.sluice.bench.jmh;

import io.sluice.model.BounceReason;
import io.sluice.suppression.SuppressionEntry;
import io.sluice.suppression.SuppressionList;
import io.sluice.suppression.SuppressionScope;
import io.sluice.suppression.SuppressionSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The suppression list's RCPT check ({@code SuppressionList#atRcpt}: global, sender-domain and AUTH scopes) on a
 * list of {@code entries} addresses, half the lookups hits and half misses, as sampled latency (issue 13: p99 under
 * 1 µs). Run with {@code -prof gc}: the lookup allocates nothing. Single-threaded per benchmark thread; the list is
 * shared as in the daemon.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class SuppressionLookupBenchmark {
    @Param({"1000000"})
    int entries;

    private Path dir;
    private SuppressionList list;
    private String[] probes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = java.nio.file.Files.createTempDirectory("sluice-suppression-jmh");
        list = SuppressionList.open(dir.resolve("suppression.log"));
        long now = System.currentTimeMillis();
        List<SuppressionEntry> batch = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            batch.add(new SuppressionEntry("user" + i + "@example" + (i % 997) + ".net", SuppressionScope.GLOBAL, "",
                    BounceReason.USER_UNKNOWN, SuppressionSource.BOUNCE, now, 0));
            if (batch.size() == 100_000) {
                list.add(batch);
                batch.clear();
            }
        }
        list.add(batch);
        probes = new String[4096];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < probes.length; i++) {
            int n = random.nextInt(entries);
            probes[i] = i % 2 == 0 ? "user" + n + "@example" + (n % 997) + ".net" : "other" + n + "@example.org";
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        list.close();
        TempDirs.deleteRecursively(dir);
    }

    @Benchmark
    public BounceReason atRcpt() {
        String address = probes[next];
        next = (next + 1) & (probes.length - 1);
        return list.atRcpt(address, "shop.example", "app1", 1_800_000_000_000L);
    }
}
