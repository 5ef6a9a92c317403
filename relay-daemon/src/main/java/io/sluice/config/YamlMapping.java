package io.sluice.config;

import io.sluice.util.DataSizes;
import io.sluice.util.Durations;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One YAML mapping read as a config section: typed getters that know the key path ({@code listeners[1].port})
 * and the node marks, so every problem is reported with its line and key.
 *
 * <p>Contract for the getters: an absent key, or one whose value is YAML null ({@code key:}, {@code ~},
 * {@code null}), yields the given default; a present value of the wrong type or out of range is reported to the
 * shared {@link ConfigErrors} and also yields the default, so reading continues and every problem is found in
 * one pass. Each getter records its key as known; {@link #finish()} then reports every key nobody asked for as
 * unknown, with a "did you mean" hint. Duplicate keys and non-scalar keys are reported when the mapping is
 * opened. Scalars are interpreted by their text (the YAML tag is ignored), so {@code port: "25"} is a port.
 *
 * <p>Single-threaded; one instance per mapping per load.
 */
final class YamlMapping {

    /** One element of a list of scalars, with what is needed to report a problem with it. */
    record Item(String text, String path, Node node) {
    }

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d+(_\\d+)*");
    private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");

    private final String path;
    /** The node whose line is cited for problems with absent keys or with the mapping as a whole. */
    private final Node where;
    private final ConfigErrors errors;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();
    private final Set<String> failed = new HashSet<>();
    /** The value was not a mapping (already reported): further problems with its keys would only be noise. */
    private boolean broken;

    private YamlMapping(String path, Node where, ConfigErrors errors) {
        this.path = path;
        this.where = where;
        this.errors = errors;
    }

    /** The document's top level; a null (empty) document is an empty mapping. */
    static YamlMapping root(Node document, ConfigErrors errors) {
        return open(document, "", document, errors);
    }

    private static YamlMapping open(Node value, String path, Node where, ConfigErrors errors) {
        YamlMapping m = new YamlMapping(path, where, errors);
        if (value == null || isNull(value)) {
            return m;
        }
        if (!(value instanceof MappingNode mapping)) {
            errors.add(where, path, "expected a mapping of keys, got " + describe(value));
            m.broken = true;
            return m;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                errors.add(tuple.getKeyNode(), path, "a key must be a plain word, not " + describe(tuple.getKeyNode()));
                continue;
            }
            NodeTuple first = m.entries.putIfAbsent(key.getValue(), tuple);
            if (first != null) {
                errors.add(key, m.child(key.getValue()),
                        "duplicate key (first given at line " + line(first.getKeyNode()) + ")");
            }
        }
        return m;
    }

    /** The nested mapping at {@code key}; an empty mapping (all defaults) when absent, null or not a mapping. */
    YamlMapping mapping(String key) {
        known.add(key);
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return new YamlMapping(child(key), where, errors);
        }
        return open(tuple.getValueNode(), child(key), tuple.getKeyNode(), errors);
    }

    /** The list of mappings at {@code key}, or null when absent, null or (reported) not a list. */
    List<YamlMapping> mappingList(String key) {
        SequenceNode sequence = sequence(key);
        if (sequence == null) {
            return null;
        }
        List<YamlMapping> out = new ArrayList<>();
        List<Node> elements = sequence.getValue();
        for (int i = 0; i < elements.size(); i++) {
            Node element = elements.get(i);
            out.add(open(element, child(key) + "[" + i + "]", element, errors));
        }
        return out;
    }

    /** The list of scalars at {@code key}, or null when absent, null or (reported) not a list. */
    List<Item> scalarList(String key) {
        SequenceNode sequence = sequence(key);
        if (sequence == null) {
            return null;
        }
        List<Item> out = new ArrayList<>();
        List<Node> elements = sequence.getValue();
        for (int i = 0; i < elements.size(); i++) {
            Node element = elements.get(i);
            String itemPath = child(key) + "[" + i + "]";
            if (element instanceof ScalarNode scalar && !isNull(element)) {
                out.add(new Item(scalar.getValue(), itemPath, element));
            } else {
                failed.add(key);
                errors.add(element, itemPath, "expected a single value, got " + describe(element));
            }
        }
        return out;
    }

    /**
     * The value at {@code key} converted by {@code parser}, or {@code defaultValue} when absent or null. A parser
     * rejects a value by throwing {@link IllegalArgumentException}; its message becomes the reported problem.
     */
    <T> T read(String key, T defaultValue, Function<String, T> parser) {
        String raw = scalar(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            error(key, e.getMessage());
            return defaultValue;
        }
    }

    /** A non-empty string. */
    String string(String key, String defaultValue) {
        return read(key, defaultValue, raw -> {
            if (raw.isEmpty()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return raw;
        });
    }

    /** A whole number within {@code limits}; {@code _} may group digits ({@code 5_000_000}). */
    long number(String key, long defaultValue, Limits limits) {
        return read(key, defaultValue, raw -> {
            if (!WHOLE_NUMBER.matcher(raw).matches()) {
                throw new IllegalArgumentException(show(raw) + " is not a whole number");
            }
            long value;
            try {
                value = Long.parseLong(raw.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(raw + " is too large");
            }
            return within(value, raw, limits);
        });
    }

    /** A whole number within {@code limits}, which must lie inside the int range. */
    int integer(String key, int defaultValue, Limits limits) {
        return (int) number(key, defaultValue, limits);
    }

    /** A byte size such as {@code 20MiB} (see {@link DataSizes}) within {@code limits}. */
    long size(String key, long defaultValue, Limits limits) {
        return read(key, defaultValue, raw -> within(DataSizes.parse(raw), raw, limits));
    }

    /** A duration such as {@code 30s} (see {@link Durations}) within {@code millis} (limits in milliseconds). */
    Duration duration(String key, Duration defaultValue, Limits millis) {
        return read(key, defaultValue, raw -> {
            Duration d = Durations.parse(raw);
            within(d.toMillis(), raw, millis);
            return d;
        });
    }

    /** {@code true} or {@code false}, in any case; YAML 1.1 words such as {@code yes} are refused. */
    boolean bool(String key, boolean defaultValue) {
        return read(key, defaultValue, raw -> {
            if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(raw);
            }
            throw new IllegalArgumentException(show(raw) + " is not true or false");
        });
    }

    /** One of the enum's constants, written in lower case (any case is accepted). */
    <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        return read(key, defaultValue, raw -> {
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                String name = constant.name().toLowerCase(Locale.ROOT);
                if (name.equalsIgnoreCase(raw)) {
                    return constant;
                }
                names.add(name);
            }
            throw new IllegalArgumentException(show(raw) + " is not one of " + String.join(", ", names));
        });
    }

    /** A file system path, kept as written (relative paths resolve against the working directory at use). */
    Path path(String key, Path defaultValue) {
        return read(key, defaultValue, raw -> {
            if (raw.isEmpty()) {
                throw new IllegalArgumentException("must not be empty");
            }
            try {
                return Path.of(raw);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(raw + " is not a valid path (" + e.getReason() + ")");
            }
        });
    }

    /**
     * The keys of this mapping in file order, for a mapping whose keys are names chosen by the operator (such as
     * {@code lanes}); read each with a getter, which also makes it known.
     */
    List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    /** True when the key's value is a single value (not a list or mapping; null counts as one). */
    boolean isScalar(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null || tuple.getValueNode() instanceof ScalarNode;
    }

    /** True when the key is given with a non-null value (valid or not). */
    boolean isPresent(String key) {
        known.add(key);
        NodeTuple tuple = entries.get(key);
        return tuple != null && !isNull(tuple.getValueNode());
    }

    /** True when a problem was reported for this key: its value is the default, not what the file says. */
    boolean failed(String key) {
        return failed.contains(key);
    }

    /**
     * Reports a problem with {@code key}: at its line when present, else at this mapping's line. Dropped when this
     * mapping was not a mapping at all, since that is already reported.
     */
    void error(String key, String problem) {
        failed.add(key);
        if (broken) {
            return;
        }
        NodeTuple tuple = entries.get(key);
        errors.add(tuple != null ? tuple.getKeyNode() : where, child(key), problem);
    }

    /** Reports a problem with one list element. */
    void error(Item item, String problem) {
        errors.add(item.node(), item.path(), problem);
    }

    /** {@code file:line: path.key} of a key (its own line when present), to report a problem found later. */
    String where(String key) {
        NodeTuple tuple = entries.get(key);
        Node at = tuple != null ? tuple.getKeyNode() : this.where;
        String file = at == null ? "" : at.getStartMark().map(m -> m.getName()).orElse("");
        return ConfigErrors.format(file, line(at), child(key), "").replaceAll(": $", "");
    }

    /** This mapping's key path, e.g. {@code listeners[0]}. */
    String path() {
        return path;
    }

    /** The 1-based line where this mapping (or, when absent, its parent) starts; 0 when unknown. */
    int line() {
        return line(where);
    }

    /** Reports every key that no getter asked for. Call after all reads of this mapping. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                String hint = KeySuggestions.closest(e.getKey(), known);
                errors.add(e.getValue().getKeyNode(), child(e.getKey()),
                        "unknown key" + (hint == null ? "" : " (did you mean " + hint + "?)"));
            }
        }
    }

    private String scalar(String key) {
        known.add(key);
        NodeTuple tuple = entries.get(key);
        if (tuple == null || isNull(tuple.getValueNode())) {
            return null;
        }
        if (!(tuple.getValueNode() instanceof ScalarNode scalar)) {
            error(key, "expected a single value, got " + describe(tuple.getValueNode()));
            return null;
        }
        return scalar.getValue();
    }

    private SequenceNode sequence(String key) {
        known.add(key);
        NodeTuple tuple = entries.get(key);
        if (tuple == null || isNull(tuple.getValueNode())) {
            return null;
        }
        if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
            error(key, "expected a list, got " + describe(tuple.getValueNode()));
            return null;
        }
        return sequence;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static long within(long value, String raw, Limits limits) {
        String problem = limits.check(value, raw);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }

    /** YAML null: a plain {@code ~}, {@code null} or nothing. */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.getScalarStyle() == ScalarStyle.PLAIN
                && NULLS.contains(scalar.getValue());
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode scalar) {
            return isNull(node) ? "nothing" : show(scalar.getValue());
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    private static String show(String raw) {
        return raw.isEmpty() ? "\"\"" : raw;
    }

    static int line(Node node) {
        return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
