package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code journal.compact_after}: default, parsing, bounds, and the record's own check. */
class JournalCompactAfterTest {

    @Test
    void shouldDefaultToOneHour() throws Exception {
        assertThat(SettingsLoader.parse("journal:\n  sync: batch\n", "x.yaml").journal().compactAfter())
                .isEqualTo(Duration.ofHours(1));
        assertThat(new JournalSettings(Path.of("j"), JournalSettings.SyncPolicy.BATCH, 0, Duration.ofMinutes(1))
                .compactAfter()).isEqualTo(JournalSettings.DEFAULT_COMPACT_AFTER);
    }

    @Test
    void shouldReadADurationWithinTenMinutesToSevenDays() throws Exception {
        assertThat(SettingsLoader.parse("journal:\n  compact_after: 10m\n", "x.yaml").journal().compactAfter())
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(SettingsLoader.parse("journal:\n  compact_after: 7d\n", "x.yaml").journal().compactAfter())
                .isEqualTo(Duration.ofDays(7));
    }

    @Test
    void shouldRefuseValuesOutsideTheBounds() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse("journal:\n  compact_after: 9m\n", "conf/sluice.yaml"));
        assertThat(e.errors()).singleElement().asString()
                .startsWith("conf/sluice.yaml:2: journal.compact_after: 9m is below the minimum of 10m");
        e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse("journal:\n  compact_after: 8d\n", "conf/sluice.yaml"));
        assertThat(e.errors()).singleElement().asString().contains("journal.compact_after: 8d");
    }

    @Test
    void shouldRefuseANonPositiveAgeInTheRecord() {
        assertThatThrownBy(() -> new JournalSettings(Path.of("j"), JournalSettings.SyncPolicy.BATCH, 0,
                Duration.ofMinutes(1), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
