package io.sluice.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects the problems found while reading one config file, each tied to a position and a key path, and formats
 * them as {@code <file>:<line>: <key path>: <problem>}.
 *
 * <p>A node's mark names the file it was read from (the loader labels each document with its file); that name is
 * used, so a value merged in from another file is reported there.
 *
 * <p>Readers keep going after a problem (using the default in its place) so that one pass reports everything;
 * {@link #throwIfAny()} then fails the whole load. Lines are 1-based, taken from the node's start mark; problems
 * are ordered by line, then column. Single-threaded: one instance per load.
 */
final class ConfigErrors {

    private record Entry(int line, int column, String text) {
    }

    private final String source;
    private final List<Entry> entries = new ArrayList<>();

    ConfigErrors(String source) {
        this.source = source;
    }

    /** Records a problem at the node's line; a null node, or one without a mark, gives no line. */
    void add(Node at, String path, String problem) {
        int line = at == null ? 0 : at.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        int column = at == null ? 0 : at.getStartMark().map(m -> m.getColumn()).orElse(0);
        // A node merged in from another file (shaping.overrides) carries that file's name in its mark.
        String file = at == null ? source : at.getStartMark().map(m -> m.getName()).filter(n -> !n.isEmpty())
                .orElse(source);
        entries.add(new Entry(line, column, format(file, line, path, problem)));
    }

    /** {@code <source>:<line>: <path>: <problem>}, leaving out a line {@code <= 0} and an empty path. */
    static String format(String source, int line, String path, String problem) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(problem).toString();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Throws a {@link ConfigException} holding every problem, ordered by position, when there is any. */
    void throwIfAny() throws ConfigException {
        if (entries.isEmpty()) {
            return;
        }
        List<Entry> sorted = new ArrayList<>(entries);
        // Stable sort: problems at the same position keep the order they were found in.
        sorted.sort(Comparator.comparingInt(Entry::line).thenComparingInt(Entry::column));
        throw new ConfigException(sorted.stream().map(Entry::text).toList());
    }
}
