package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's reading of admin API answers: the shapes its tables rely on, and strictness with a position. */
class JsonReaderTest {

    @Test
    void shouldReadObjectsArraysAndNumbersAsTheTablesExpect() {
        Object doc = JsonReader.parse(
                " {\"n\": 12, \"big\": 9007199254740993, \"f\": 0.5, \"l\": [true, null, \"\\u00e9\"]} ");
        assertThat(doc).isEqualTo(Map.of("n", 12L, "big", 9007199254740993L, "f", 0.5,
                "l", Arrays.asList(true, null, "é")));
    }

    @Test
    void shouldRefuseDuplicateKeysTrailingTextAndNonJson() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": 1, \"a\": 2}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> JsonReader.parse("{} x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": [1,]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad JSON at 1:");
        assertThatThrownBy(() -> JsonReader.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
