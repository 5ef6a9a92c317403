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

    /** Where {@code sluice_source_out_of_rotation} reads: 1 per (source, provider) out of rotation, else 0. */
    @FunctionalInterface
    interface RotationReader {
        /** One (source, provider). */
        @FunctionalInterface
        interface Visitor {
            void pair(String source, String provider, boolean out);
        }

        void read(Visitor visitor);
    }

    /** Where the warm-up gauges read: per configured source its schedule day (0: not warming) and today's count. */
    @FunctionalInterface
    interface WarmupReader {
        /** One source. */
        @FunctionalInterface
        interface Visitor {
            void source(String source, long day, long sentToday);
        }

        void read(Visitor visitor);
    }
}
