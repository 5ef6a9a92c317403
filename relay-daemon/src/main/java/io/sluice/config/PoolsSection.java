package io.sluice.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code pools} list into {@link PoolSettings}.
 *
 * <p>Absent or null: one pool {@code default} = [default:1], which needs a source named {@code default} (there is
 * one unless the file lists sources without it; then the problem is reported at {@code pools}). An empty list is an
 * error. Per pool: {@code name} required, well-formed and unique; {@code sources} a non-empty list of
 * {@code {source, weight}}, each naming an existing source, at most once per pool; {@code weight} a whole number
 * 0-1000 (default 1; 0 drains the source).
 */
final class PoolsSection {

    static final Limits WEIGHT = Limits.range(0, 1000, Long::toString);

    private PoolsSection() {
    }

    static List<PoolSettings> read(YamlMapping doc, List<SourceSettings> sources) {
        List<YamlMapping> items = doc.mappingList("pools");
        if (items == null) {
            if (doc.failed("pools")) {
                return List.of();
            }
            if (!sources.isEmpty() && !hasSource(sources, SourceSettings.DEFAULT_NAME)) {
                doc.error("pools", "absent, so there is one pool default = [default:1], but no source is named"
                        + " default: name a source default, or list pools");
            }
            return List.of(new PoolSettings(PoolSettings.DEFAULT_NAME,
                    List.of(new PoolSettings.Member(SourceSettings.DEFAULT_NAME, 1))));
        }
        if (items.isEmpty()) {
            doc.error("pools", "at least one pool is needed (leave the key out for pool default = [default:1])");
            return List.of();
        }
        List<PoolSettings> pools = new ArrayList<>();
        List<ConfigName.Named> named = new ArrayList<>();
        for (YamlMapping m : items) {
            String name = ConfigName.required(m, "a unique name that routes refer to");
            List<PoolSettings.Member> members = members(m, sources);
            m.finish();
            named.add(new ConfigName.Named(name, m));
            pools.add(new PoolSettings(name, members));
        }
        ConfigName.requireUnique(named);
        return pools;
    }

    private static List<PoolSettings.Member> members(YamlMapping pool, List<SourceSettings> sources) {
        List<YamlMapping> items = pool.mappingList("sources");
        if (items == null || items.isEmpty()) {
            if (!pool.failed("sources")) {
                pool.error("sources", "a pool needs at least one source ([{source: NAME, weight: N}])");
            }
            return List.of();
        }
        List<PoolSettings.Member> members = new ArrayList<>();
        for (YamlMapping m : items) {
            String source = m.read("source", null, ConfigName::parse);
            int weight = m.integer("weight", 1, WEIGHT);
            m.finish();
            if (source == null) {
                if (!m.failed("source")) {
                    m.error("source", "required (the name of a source)");
                }
                continue;
            }
            if (!sources.isEmpty() && !hasSource(sources, source)) {
                m.error("source", "no source is named " + source);
            } else if (members.stream().anyMatch(x -> x.source().equals(source))) {
                m.error("source", source + " is already in this pool");
            }
            members.add(new PoolSettings.Member(source, weight));
        }
        return members;
    }

    private static boolean hasSource(List<SourceSettings> sources, String name) {
        return sources.stream().anyMatch(s -> name.equals(s.name()));
    }
}
