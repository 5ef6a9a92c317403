package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizesTest {

    @ParameterizedTest
    @CsvSource({
        "1000, 1000", "0, 0", "17B, 17", "512KiB, 524288", "20MiB, 20971520", "1GiB, 1073741824",
        "2TiB, 2199023255552", "1KB, 1000", "100MB, 100000000", "3GB, 3000000000", "1TB, 1000000000000",
        "64 KiB, 65536"})
    void shouldParseBytesAndUnits(String text, long bytes) {
        assertThat(DataSizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"20M", "20mb", "20mib", "1.5MiB", "-1", "MiB", "20 MiB ", "1e6", "20Mb", "0x10"})
    void shouldRejectOtherFormsListingTheUnits(String text) {
        assertThatThrownBy(() -> DataSizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(text + " is not a size (a whole number of bytes, optionally with a unit: B, KB, MB, GB,"
                        + " TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. 20MiB)");
    }

    @Test
    void shouldRejectOverflow() {
        assertThatThrownBy(() -> DataSizes.parse("9000000TiB")).hasMessage("9000000TiB is too large");
        assertThatThrownBy(() -> DataSizes.parse("99999999999999999999"))
                .hasMessage("99999999999999999999 is too large");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1000, 1000", "1024, 1KiB", "65536, 64KiB", "20971520, 20MiB", "1073741824, 1GiB",
        "1099511627776, 1TiB", "1536, 1536"})
    void shouldFormatInBinaryUnitsWhenExact(long bytes, String text) {
        assertThat(DataSizes.format(bytes)).isEqualTo(text);
    }
}
