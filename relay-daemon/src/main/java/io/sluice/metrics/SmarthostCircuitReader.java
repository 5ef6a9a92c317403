package io.sluice.metrics;

/**
 * Where the smarthost circuit families read their values at scrape time: the reader calls the visitor once per
 * smarthost (a handful, from the config). Kept free of scheduler types, since {@code metrics} is a leaf package.
 */
@FunctionalInterface
public interface SmarthostCircuitReader {

    /** One smarthost: whether its breaker lets mail through now, and how often it has opened. */
    @FunctionalInterface
    interface Visitor {
        void smarthost(String name, boolean open, long timesOpened);
    }

    /** Calls {@code visitor} for every smarthost. */
    void read(Visitor visitor);
}
