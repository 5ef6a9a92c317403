package io.sluice.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Merges an override document over a base document at the node level, key by key, so that every value keeps the
 * marks (file and line) of the document it came from and problems are reported where they were written
 * ({@code shaping.overrides} over {@code shaping.file}).
 *
 * <p>Rules: two mappings merge key by key (a key only in one side is kept; a key in both merges its values);
 * two lists of named mappings ({@code keyedLists}: elements with a {@code name} key, such as {@code providers})
 * merge element by element by name, base order first and new names appended; anything else in the override
 * replaces the base value whole (a scalar, a list of scalars such as {@code mx_suffixes}, a list of rules). An
 * override value that is YAML null leaves the base value. Pure; the inputs are not changed.
 */
final class YamlMerge {

    private YamlMerge() {
    }

    /**
     * {@code over} merged over {@code base}; either may be null (an empty document).
     *
     * @param keyedLists keys whose lists merge by element name (e.g. {@code providers}, {@code schedules})
     */
    static Node merge(Node base, Node over, Set<String> keyedLists) {
        return merge(base, over, null, keyedLists);
    }

    private static Node merge(Node base, Node over, String key, Set<String> keyedLists) {
        if (over == null || isNull(over)) {
            return base;
        }
        if (base == null || isNull(base)) {
            return over;
        }
        if (base instanceof MappingNode b && over instanceof MappingNode o) {
            Map<String, NodeTuple> merged = new LinkedHashMap<>();
            List<NodeTuple> others = new ArrayList<>(); // tuples whose key is not a scalar: YamlMapping reports them
            for (NodeTuple t : b.getValue()) {
                put(merged, others, t);
            }
            java.util.Set<String> seenInOver = new java.util.HashSet<>();
            for (NodeTuple t : o.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k) || !seenInOver.add(k.getValue())) {
                    others.add(t); // a non-scalar or repeated key of the override: YamlMapping reports it there
                    continue;
                }
                NodeTuple was = merged.get(k.getValue());
                merged.put(k.getValue(), was == null ? t : new NodeTuple(was.getKeyNode(),
                        merge(was.getValueNode(), t.getValueNode(), k.getValue(), keyedLists)));
            }
            List<NodeTuple> tuples = new ArrayList<>(merged.values());
            tuples.addAll(others);
            return new MappingNode(b.getTag(), true, tuples, b.getFlowStyle(), b.getStartMark(), b.getEndMark());
        }
        if (key != null && keyedLists.contains(key) && base instanceof SequenceNode b
                && over instanceof SequenceNode o) {
            List<Node> elements = new ArrayList<>(b.getValue());
            java.util.Set<String> namedInOver = new java.util.HashSet<>();
            for (Node element : o.getValue()) {
                String name = nameOf(element);
                // a name given twice in the override stays two elements: the reader reports the second
                int at = name == null || !namedInOver.add(name) ? -1 : indexOfName(elements, name);
                if (at < 0) {
                    elements.add(element);
                } else {
                    elements.set(at, merge(elements.get(at), element, null, keyedLists));
                }
            }
            return new SequenceNode(b.getTag(), true, elements, b.getFlowStyle(), b.getStartMark(), b.getEndMark());
        }
        return over;
    }

    private static void put(Map<String, NodeTuple> merged, List<NodeTuple> others, NodeTuple t) {
        if (t.getKeyNode() instanceof ScalarNode k && !merged.containsKey(k.getValue())) {
            merged.put(k.getValue(), t);
        } else {
            others.add(t); // a duplicate or a non-scalar key: left for YamlMapping to report
        }
    }

    private static int indexOfName(List<Node> elements, String name) {
        for (int i = 0; i < elements.size(); i++) {
            if (name.equals(nameOf(elements.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    private static String nameOf(Node element) {
        if (element instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name")
                        && t.getValueNode() instanceof ScalarNode v) {
                    return v.getValue();
                }
            }
        }
        return null;
    }

    private static boolean isNull(Node node) {
        return YamlMapping.isNull(node);
    }
}
