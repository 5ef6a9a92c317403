package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link IsoInstant} writes exactly what {@link Instant#toString()} writes. */
class IsoInstantTest {
    private static String iso(long millis) {
        return IsoInstant.append(new StringBuilder(), millis).toString();
    }

    @Test
    void matchesInstantToStringAtTheEdges() {
        long[] edges = {0, 1, 999, 1000, -1, -1000, -86_400_000L, 951_782_400_000L /* 2000-02-29 */,
            951_868_799_999L, 4_107_542_399_999L /* 2100-02-28T23:59:59.999 */, 4_107_542_400_000L,
            253_402_300_799_999L /* 9999-12-31T23:59:59.999 */, 253_402_300_800_000L /* +10000 */,
            -62_167_219_200_000L /* 0000-01-01 */, -62_167_219_200_001L /* before year 0 */,
            1_790_000_000_000L, 1_790_000_000_010L, 1_790_000_000_100L};
        for (long millis : edges) {
            assertThat(iso(millis)).as("millis %d", millis).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }

    @Test
    void matchesInstantToStringForRandomTimes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
            assertThat(iso(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }

    @Test
    void appendsToWhatIsThere() {
        assertThat(IsoInstant.append(new StringBuilder("t="), 0).append(';').toString())
            .isEqualTo("t=1970-01-01T00:00:00Z;");
    }
}
