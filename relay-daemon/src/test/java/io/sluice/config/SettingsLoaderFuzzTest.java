package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the config loader with arbitrary YAML text: {@link SettingsLoader#parse} either returns settings or throws
 * a {@link ConfigException} whose every problem names the source, as {@code <file>:<line>: ...}; any other exception
 * (a ClassCastException from an unexpected node type, a NumberFormatException, a stack overflow from deep nesting)
 * is a bug that would reach the operator as a stack trace instead of a precise error.
 *
 * <p>Replayed from {@code SettingsLoaderFuzzTestInputs/} on every {@code mvn test}; fuzzed with {@code -Pfuzz}.
 */
class SettingsLoaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parseThrowsOnlyConfigException(byte[] input) {
        String yaml = new String(input, StandardCharsets.UTF_8); // as load() reads a file
        try {
            assertThat(SettingsLoader.parse(yaml, "fuzz.yaml")).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.errors()).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("fuzz.yaml"));
        }
    }
}
