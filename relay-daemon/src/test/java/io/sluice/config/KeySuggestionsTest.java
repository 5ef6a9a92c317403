package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionsTest {

    private static final List<String> KNOWN = List.of("max_command_line", "max_text_line", "max_connections",
            "max_connections_per_ip", "port", "tls");

    @Test
    void shouldSuggestTheClosestKeyWithinTwoEdits() {
        assertThat(KeySuggestions.closest("max_comand_line", KNOWN)).isEqualTo("max_command_line");
        assertThat(KeySuggestions.closest("max_conections", KNOWN)).isEqualTo("max_connections");
        assertThat(KeySuggestions.closest("prot", KNOWN)).isEqualTo("port");
    }

    @Test
    void shouldIgnoreCaseAndDashes() {
        assertThat(KeySuggestions.closest("MAX-CONNECTIONS-PER-IP", KNOWN)).isEqualTo("max_connections_per_ip");
    }

    @Test
    void shouldSuggestNothingForDistantKeys() {
        assertThat(KeySuggestions.closest("colour", KNOWN)).isNull();
        assertThat(KeySuggestions.closest("x", List.of())).isNull();
    }
}
