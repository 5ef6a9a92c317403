package io.sluice.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.BounceReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV of import, export and the admin API: defaults, quoting, the header, and errors that name the line. */
class SuppressionCsvTest {
    private static final SuppressionCsv.Defaults DEFAULTS = new SuppressionCsv.Defaults(SuppressionSource.OPERATOR,
            BounceReason.UNDEFINED, 1_790_000_000_000L, 0);

    @Test
    void shouldReadAFirstLineThatIsAnAddressNotAHeader() {
        List<SuppressionEntry> e = SuppressionCsv.parse("addressbook@example.com\n", DEFAULTS);
        assertThat(e).extracting(SuppressionEntry::address).containsExactly("addressbook@example.com");
        assertThat(SuppressionCsv.parse("address,scope\nx@example.com,global\n", DEFAULTS)).hasSize(1);
        assertThat(SuppressionCsv.isHeader("Address , scope")).isTrue();
        assertThat(SuppressionCsv.isHeader("address@example.com")).isFalse();
    }

    @Test
    void shouldRoundTripEveryColumnThroughALine() {
        SuppressionEntry in = new SuppressionEntry("a,b\"c@example.com", SuppressionScope.SENDER_DOMAIN,
                "shop.example", BounceReason.FEEDBACK, SuppressionSource.COMPLAINT, 1_790_000_000_000L,
                1_800_000_000_000L);
        List<SuppressionEntry> back = SuppressionCsv.parse(SuppressionCsv.line(in), DEFAULTS);
        assertThat(back).containsExactly(in);
    }

    @Test
    void shouldNameTheBadLine() {
        assertThatThrownBy(() -> SuppressionCsv.parse("ok@example.com\nx@example.com,nowhere\n", DEFAULTS))
                .hasMessageStartingWith("line 2: unknown scope nowhere");
        assertThatThrownBy(() -> SuppressionCsv.parse("x@example.com,sender-domain,,,,\n", DEFAULTS))
                .hasMessageContaining("line 1: scope sender-domain needs a value");
        assertThatThrownBy(() -> SuppressionCsv.parse("x@example.com,global,,,,yesterday\n", DEFAULTS))
                .hasMessageContaining("line 1: not an ISO-8601 time");
    }
}
