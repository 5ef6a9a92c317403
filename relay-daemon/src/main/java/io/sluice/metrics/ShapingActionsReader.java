package io.sluice.metrics;

/**
 * Where {@code sluice_shaping_actions} reads its values at scrape time: the reader calls the visitor once per
 * (provider, action kind) with the number of paths where such an action is in force ({@code default} for sites no
 * provider matches). Kept free of scheduler types, since {@code metrics} is a leaf package.
 */
@FunctionalInterface
public interface ShapingActionsReader {

    /** Paths of {@code provider} with an action of kind {@code action} (suspend, message_rate, connections). */
    @FunctionalInterface
    interface Visitor {
        void actions(String provider, String action, long paths);
    }

    /** Calls {@code visitor} for every (provider, kind) with actions in force. */
    void read(Visitor visitor);
}
