package io.sluice.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads the {@code bounces} section of sluice.yaml: {@code rules} (the classification rules file; absent: the copy
 * of conf/bounce-rules.yaml built into Sluice) and {@code rules_overrides} (an operator's rules, tried first). The
 * files themselves are read by {@link SettingsLoader} ({@link BounceRulesReader}) once the whole of sluice.yaml is
 * valid.
 */
final class BouncesSection {

    private BouncesSection() {
    }

    static BounceRuleSettings read(YamlMapping m) {
        Path file = m.path("rules", null);
        Path overrides = m.path("rules_overrides", null);
        m.finish();
        return new BounceRuleSettings(file, overrides, List.of(), io.sluice.model.BounceReason.ON_HOLD);
    }
}
