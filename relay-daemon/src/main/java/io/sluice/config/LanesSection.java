package io.sluice.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code lanes} mapping (lane name to weight) into {@link LaneSettings}.
 *
 * <p>Absent or null: {transactional: 4, bulk: 1}. A given mapping replaces those two. Either way the lane
 * {@value LaneSettings#DEFAULT_NAME} exists, weight {@value LaneSettings#DEFAULT_WEIGHT} unless the mapping sets it;
 * it takes every route without {@code lane}. Names are well-formed; weights whole numbers 1-1000 (a lane of weight 0
 * would starve: suspend mail instead).
 */
final class LanesSection {

    static final Limits WEIGHT = Limits.range(1, 1000, Long::toString);

    private LanesSection() {
    }

    static List<LaneSettings> read(YamlMapping doc) {
        List<LaneSettings> lanes = new ArrayList<>();
        if (!doc.isPresent("lanes")) {
            lanes.add(new LaneSettings("transactional", 4));
            lanes.add(new LaneSettings("bulk", 1));
        } else {
            YamlMapping m = doc.mapping("lanes");
            for (String name : m.keys()) {
                int weight = m.integer(name, LaneSettings.DEFAULT_WEIGHT, WEIGHT);
                if (!ConfigName.isValid(name)) {
                    m.error(name, name + " is not a valid lane name (letters, digits, '.', '_', '-'; at most 64)");
                }
                lanes.add(new LaneSettings(name, weight));
            }
            m.finish();
        }
        if (lanes.stream().noneMatch(l -> l.name().equals(LaneSettings.DEFAULT_NAME))) {
            lanes.add(new LaneSettings(LaneSettings.DEFAULT_NAME, LaneSettings.DEFAULT_WEIGHT));
        }
        return lanes;
    }
}
