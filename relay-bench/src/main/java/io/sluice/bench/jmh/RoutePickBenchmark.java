package io.sluice.bench.jmh;

import io.sluice.config.EgressSettings;
import io.sluice.config.LaneSettings;
import io.sluice.config.PoolSettings;
import io.sluice.config.RouteSettings;
import io.sluice.config.SourceSettings;
import io.sluice.model.RouteInputs;
import io.sluice.routing.PoolPath;
import io.sluice.routing.Route;
import io.sluice.routing.Router;
import io.sluice.routing.WeightedRoundRobin;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the scheduler does per batch to choose its egress: evaluate the message's route ({@link Router#route}) and
 * pick a source of the route's pool ({@link WeightedRoundRobin#pick}). Routes as an operator would write them:
 * three rules (by sender domain and stream; by recipient domains, one a subdomain entry; by AUTH user) and the
 * default, four sources weighted 1:1:2:0. The inputs cycle over messages that hit each rule and the default. Run with
 * {@code -prof gc} to see the allocation (the target is none). Single-threaded, as the scheduler is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutePickBenchmark {
    private Router router;
    private final WeightedRoundRobin[] pickers = new WeightedRoundRobin[4];
    private Route[] routes;
    private RouteInputs[] inputs;
    private String[] domains;
    private int next;
    private final IntPredicate everySource = i -> true;

    @Setup
    public void setUp() {
        List<SourceSettings> sources = List.of(new SourceSettings("ip1", "127.0.0.2", "a.example", false),
                new SourceSettings("ip2", "127.0.0.3", "b.example", false),
                new SourceSettings("ip3", "127.0.0.4", "c.example", false),
                new SourceSettings("ip4", "127.0.0.5", "d.example", false));
        List<PoolSettings.Member> members = List.of(new PoolSettings.Member("ip1", 1),
                new PoolSettings.Member("ip2", 1), new PoolSettings.Member("ip3", 2), new PoolSettings.Member("ip4", 0));
        List<PoolSettings> pools = List.of(new PoolSettings("default", members), new PoolSettings("tx", members),
                new PoolSettings("bulk", members), new PoolSettings("partners", members));
        List<RouteSettings> routes = List.of(
                new RouteSettings("receipts", new RouteSettings.Match(List.of("shop.example"), List.of(), List.of(),
                        List.of(), List.of("transactional")), "transactional", "tx", List.of()),
                new RouteSettings("partners", new RouteSettings.Match(List.of(), List.of("partner.example",
                        ".corp.example"), List.of(), List.of(), List.of()), LaneSettings.DEFAULT_NAME, "partners",
                        List.of()),
                new RouteSettings("newsletters", new RouteSettings.Match(List.of(), List.of(), List.of("news"),
                        List.of(), List.of()), "bulk", "bulk", List.of()),
                new RouteSettings("default", null, LaneSettings.DEFAULT_NAME, "default", List.of()));
        router = Router.compile(new EgressSettings(sources, pools, List.of(), routes,
                List.of(new LaneSettings("transactional", 4), new LaneSettings("bulk", 1),
                        new LaneSettings(LaneSettings.DEFAULT_NAME, 1)), List.of()));
        for (int i = 0; i < pickers.length; i++) {
            pickers[i] = new WeightedRoundRobin(new int[] {1, 1, 2, 0});
        }
        this.routes = router.routes().toArray(Route[]::new);
        inputs = new RouteInputs[] {
            RouteInputs.of("orders@shop.example", "", "default", "transactional"),
            RouteInputs.of("a@other.example", "", "default", ""),
            RouteInputs.of("n@news.example", "news", "submission", "bulk"),
            RouteInputs.of("x@shop.example", "app", "default", ""),
        };
        domains = new String[] {"gmail.com", "partner.example", "mx.corp.example", "example.net", "yahoo.com"};
    }

    @Benchmark
    public int routeAndPick() {
        int i = next++;
        Route route = router.route(inputs[i & 3], domains[i % 5]);
        PoolPath path = (PoolPath) route.path();
        int r = 0;
        while (routes[r] != route) {
            r++;
        }
        return pickers[r].pick(everySource) + path.pool().sources().size();
    }
}
