package io.sluice.config;

import java.nio.file.Path;

/**
 * Reads the {@code shaping} section of sluice.yaml: {@code file} (the shaping rules; absent or empty: shaping off)
 * and {@code overrides} (an operator's file merged over it; needs {@code file}). The files themselves are read by
 * {@link SettingsLoader} ({@link ShapingFileReader}) once the whole of sluice.yaml is valid.
 */
final class ShapingSection {

    private ShapingSection() {
    }

    static ShapingSettings read(YamlMapping m) {
        Path file = m.path("file", null);
        Path overrides = m.path("overrides", null);
        m.finish();
        if (overrides != null && file == null) {
            if (!m.failed("file")) {
                m.error("overrides", "needs shaping.file: overrides are merged over the shaping file");
            }
            return ShapingSettings.OFF;
        }
        return file == null ? ShapingSettings.OFF : new ShapingSettings(file, overrides, null);
    }
}
