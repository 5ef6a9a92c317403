package io.sluice.config;

import java.util.List;

/**
 * What a live reload did: applied the new snapshot, or left the running one in force and says why.
 *
 * <p>Exactly one of three shapes: applied (both lists empty); invalid ({@code errors} holds the loader's
 * {@code <file>:<line>: <key>: <problem>} lines); or needing a restart ({@code requiresRestart} holds YAML key
 * paths, see {@link RestartRequired}). Immutable.
 *
 * @param applied         the new snapshot is in force
 * @param errors          validation errors; empty when the file is valid
 * @param requiresRestart keys that changed but need a restart; empty when none
 */
public record ReloadOutcome(boolean applied, List<String> errors, List<String> requiresRestart) {

    public ReloadOutcome {
        errors = List.copyOf(errors);
        requiresRestart = List.copyOf(requiresRestart);
        if (applied && (!errors.isEmpty() || !requiresRestart.isEmpty())) {
            throw new IllegalArgumentException("an applied reload has no errors and nothing requiring a restart");
        }
    }

    public static ReloadOutcome success() {
        return new ReloadOutcome(true, List.of(), List.of());
    }

    public static ReloadOutcome invalid(List<String> errors) {
        return new ReloadOutcome(false, errors, List.of());
    }

    public static ReloadOutcome needsRestart(List<String> keys) {
        return new ReloadOutcome(false, List.of(), keys);
    }

    /** One line per problem as the CLI prints them: the errors, then {@code requires restart: <key>} lines. */
    public List<String> lines() {
        if (applied) {
            return List.of("reloaded");
        }
        List<String> lines = new java.util.ArrayList<>(errors);
        requiresRestart.forEach(k -> lines.add("requires restart: " + k));
        return lines;
    }
}
