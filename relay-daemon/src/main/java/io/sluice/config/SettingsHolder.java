package io.sluice.config;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current {@link Settings} snapshot. Readers call {@link #current()} once per decision (per session, per
 * command) and use that snapshot throughout; a reload swaps in a fully validated snapshot atomically.
 */
public final class SettingsHolder {
    private final AtomicReference<Settings> current;

    public SettingsHolder(Settings initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    public Settings current() {
        return current.get();
    }

    /** Replaces the snapshot; returns the previous one. */
    public Settings swap(Settings next) {
        return current.getAndSet(Objects.requireNonNull(next));
    }
}
