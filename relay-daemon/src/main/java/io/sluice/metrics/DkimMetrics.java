package io.sluice.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * DKIM signing at accept (docs/metrics.md): signatures made by algorithm ({@value #SIGNATURES}), stored messages
 * left unsigned because no key covers their From domain while keys are configured ({@value #UNSIGNED}), and
 * messages refused for it ({@value #REFUSED}: {@code dkim_required}, or the signing workers full). Thread-safe.
 */
public final class DkimMetrics {
    public static final String SIGNATURES = "sluice_dkim_signatures_total";
    public static final String UNSIGNED = "sluice_dkim_unsigned_total";
    public static final String REFUSED = "sluice_dkim_refused_total";

    private final CounterDataPoint rsa;
    private final CounterDataPoint ed25519;
    private final CounterDataPoint unsigned;
    private final CounterDataPoint noKey;
    private final CounterDataPoint busy;

    DkimMetrics(PrometheusRegistry registry) {
        Counter signatures = Counter.builder().name(SIGNATURES)
                .help("DKIM signatures added at accept, by algorithm (a dual-signed message counts twice)")
                .labelNames("algorithm").withoutExemplars().register(registry);
        rsa = signatures.labelValues("rsa-sha256");
        ed25519 = signatures.labelValues("ed25519-sha256");
        unsigned = Counter.builder().name(UNSIGNED)
                .help("Stored messages left unsigned: DKIM keys are configured but none covers the From domain")
                .withoutExemplars().register(registry).labelValues();
        Counter refused = Counter.builder().name(REFUSED)
                .help("Messages refused at the end of DATA for DKIM: no_key (dkim_required and no key for the From"
                        + " domain), busy (the signing threads' queue was full: 451 4.3.0)")
                .labelNames("reason").withoutExemplars().register(registry);
        noKey = refused.labelValues("no_key");
        busy = refused.labelValues("busy");
    }

    /** One signature made with {@code algorithm} ({@code rsa-sha256} or {@code ed25519-sha256}). */
    public void signed(String algorithm) {
        ("rsa-sha256".equals(algorithm) ? rsa : ed25519).inc();
    }

    public void unsigned() {
        unsigned.inc();
    }

    public void refusedNoKey() {
        noKey.inc();
    }

    public void refusedBusy() {
        busy.inc();
    }
}
