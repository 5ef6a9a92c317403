package io.sluice.config;

import java.util.List;

/**
 * A configuration that cannot be used. Carries every problem found, not just the first, so an operator fixes a
 * file in one round.
 *
 * <p>Each entry of {@link #errors()} is one line shaped {@code <file>:<line>: <key path>: <problem>}, e.g.
 * {@code conf/sluice.yaml:42: listeners[1].port: 70000 is not a port (1-65535)}; the line and key path are left
 * out when the problem has none (a missing file). {@link #getMessage()} is the entries joined by newlines.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    /** An exception carrying these error lines, in the order given (at least one). */
    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** Every problem found, ordered by line. */
    public List<String> errors() {
        return errors;
    }
}
