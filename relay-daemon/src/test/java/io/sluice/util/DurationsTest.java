package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"250ms, PT0.25S", "30s, PT30S", "5m, PT5M", "2h, PT2H", "5d, PT120H", "0s, PT0S", "1 s, PT1S"})
    void shouldParseEveryUnit(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void shouldRequireAUnit() {
        assertThatThrownBy(() -> Durations.parse("300"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("300 has no unit (use ms, s, m, h or d, e.g. 30s)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x", "5M", "1.5s", "-1s", "s", "1h30m", "5 min", "PT5M"})
    void shouldRejectOtherFormsListingTheUnits(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .hasMessage(text + " is not a duration (a whole number with a unit: ms, s, m, h or d, e.g. 30s)");
    }

    @Test
    void shouldRejectEmptyAndHugeValues() {
        assertThatThrownBy(() -> Durations.parse(""))
                .hasMessage("\"\" is not a duration (a whole number with a unit: ms, s, m, h or d, e.g. 30s)");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999s"))
                .hasMessage("99999999999999999999s is too large");
        assertThatThrownBy(() -> Durations.parse("999999999999999999d")).hasMessage("999999999999999999d is too large");
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT0.25S, 250ms", "PT1.5S, 1500ms", "PT30S, 30s", "PT90S, 90s", "PT5M, 5m",
        "PT2H, 2h", "PT120H, 5d", "PT25H, 25h"})
    void shouldFormatInTheLargestExactUnit(String iso, String text) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }
}
