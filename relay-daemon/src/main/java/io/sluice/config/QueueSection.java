package io.sluice.config;

/** Reads the {@code queue} section into {@link QueueSettings}. */
final class QueueSection {

    private QueueSection() {
    }

    static QueueSettings read(YamlMapping m) {
        long maxPending = m.number("max_pending_recipients", QueueSettings.DEFAULT_MAX_PENDING_RECIPIENTS,
                Limits.range(1, Long.MAX_VALUE, Long::toString));
        m.finish();
        return new QueueSettings(maxPending);
    }
}
