package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The allocation-free domain lookup: case-insensitive, last {@code @}, growth, idle memory and eviction. */
class DomainTableTest {
    @Test
    void shouldFindOneStatePerDomainWhateverTheCaseOrLocalPart() {
        DomainTable t = new DomainTable(60_000);
        DomainState d = t.lookup("a@Example.TEST");
        assertThat(d.name).isEqualTo("example.test");
        assertThat(t.lookup("\"x@y\"@example.test")).isSameAs(d);
        assertThat(t.lookup("b@EXAMPLE.test")).isSameAs(d);
        assertThat(t.lookup("b@other.test")).isNotSameAs(d);
        assertThat(t.size()).isEqualTo(2);
    }

    @Test
    void shouldKeepEveryDomainAcrossGrowth() {
        DomainTable t = new DomainTable(60_000);
        DomainState[] states = new DomainState[1000];
        for (int i = 0; i < states.length; i++) {
            states[i] = t.lookup("u@d" + i + ".test");
        }
        for (int i = 0; i < states.length; i++) {
            assertThat(t.lookup("v@D" + i + ".TEST")).isSameAs(states[i]);
        }
        assertThat(t.size()).isEqualTo(1000);
    }

    @Test
    void shouldForgetAnIdleDomainOnlyAfterItsMemoryTimeUnlessItIsBusyAgain() {
        DomainTable t = new DomainTable(60_000);
        DomainState quiet = t.lookup("a@quiet.test");
        DomainState back = t.lookup("a@back.test");
        t.idle(quiet, 1_000);
        t.idle(back, 2_000);
        t.busy(back);
        assertThat(t.evictIdle(60_999, 10)).isZero();
        assertThat(t.evictIdle(61_000, 10)).isEqualTo(1);
        assertThat(t.lookup("b@back.test")).isSameAs(back);
        assertThat(t.lookup("b@quiet.test")).as("made anew").isNotSameAs(quiet);
        assertThat(t.evictIdle(Long.MAX_VALUE / 2, 10)).isZero();
    }
}
