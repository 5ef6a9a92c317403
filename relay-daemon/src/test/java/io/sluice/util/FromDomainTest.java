package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FromDomainTest {

    @Test
    void shouldReadTheFirstMailboxDomainInEveryCommonForm() {
        assertThat(FromDomain.of(" \"Brand, Inc.\" <News@Brand.Example>")).isEqualTo("brand.example");
        assertThat(FromDomain.of(" news@shop.example (Shop <x@y.example>)")).isEqualTo("shop.example");
        assertThat(FromDomain.of(" Friends: a@one.example, b@two.example;")).isEqualTo("one.example");
        assertThat(FromDomain.of(" a@first.example, b@second.example")).isEqualTo("first.example");
        assertThat(FromDomain.of("\r\n\t<folded@fold.example>")).isEqualTo("fold.example");
        assertThat(FromDomain.of(" Bücher <info@bücher.example>")).isEqualTo("xn--bcher-kva.example");
        assertThat(FromDomain.of(" \"a@quoted.example\" <real@real.example>")).isEqualTo("real.example");
    }

    @Test
    void shouldGiveNothingWhereNoDomainNameCanBeRead() {
        assertThat(FromDomain.of("")).isEmpty();
        assertThat(FromDomain.of(" Undisclosed")).isEmpty();
        assertThat(FromDomain.of(" <user@[192.0.2.1]>")).isEmpty();
        assertThat(FromDomain.of(" <@nolocal.example>")).isEmpty();
        assertThat(FromDomain.of(" <a@" + "x".repeat(300) + ".example>")).isEmpty();
        assertThat(FromDomain.of(" <a@bad domain.example>")).isEmpty();
    }
}
