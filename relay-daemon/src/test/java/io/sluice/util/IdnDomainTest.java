package io.sluice.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** IDNA 2008 (UTS #46 non-transitional, strict on input) where {@code java.net.IDN} (IDNA 2003) differs. */
class IdnDomainTest {

    @Test
    void shouldConvertULabelsToALabels() {
        assertThat(IdnDomain.toAscii("παράδειγμα.test")).isEqualTo("xn--hxajbheg2az3al.test");
        assertThat(IdnDomain.toAscii("ΠΑΡΆΔΕΙΓΜΑ.test")).as("case only").isEqualTo("xn--hxajbheg2az3al.test");
        assertThat(IdnDomain.toAscii("例子.广告")).isEqualTo("xn--fsqu00a.xn--4rr70v");
        assertThat(IdnDomain.toAscii("münchen.de")).isEqualTo("xn--mnchen-3ya.de");
        assertThat(IdnDomain.toAscii("xn--Mnchen-3ya.de")).as("a valid A-label").isEqualTo("xn--mnchen-3ya.de");
    }

    @Test
    void shouldKeepWhatIdna2003WouldMapAway() {
        assertThat(IdnDomain.toAscii("ß.de")).as("IDNA 2003 maps it to ss.de").isEqualTo("xn--zca.de");
        assertThat(IdnDomain.toAscii("ὀδυσσεύς.test")).as("final sigma stays").isEqualTo("xn--pxac3bcak3d8526a.test");
    }

    @Test
    void shouldRefuseWhatIdna2008Refuses() {
        assertThat(IdnDomain.toAscii("☃.test")).as("symbol").isNull();
        assertThat(IdnDomain.toAscii("xn--zz.test")).as("bad punycode").isNull();
        assertThat(IdnDomain.toAscii("\u0301a.test")).as("leading combining mark").isNull();
        assertThat(IdnDomain.toAscii("ｅｘａｍｐｌｅ.test")).as("full-width: needs mapping").isNull();
        assertThat(IdnDomain.toAscii("a\u3002b.test")).as("ideographic full stop").isNull();
        assertThat(IdnDomain.toAscii("a\u200db.test")).as("ZWJ out of context").isNull();
    }

    @Test
    void shouldLeaveAsciiNamesAloneWithoutIcu() {
        String plain = "Dom.Test";
        assertThat(IdnDomain.toAscii(plain)).isSameAs(plain);
        assertThat(IdnDomain.isInternational("xn--zca.de")).isTrue();
        assertThat(IdnDomain.isInternational("axn--b.de")).isFalse();
        assertThat(IdnDomain.addressToAscii("\"a b\"@παράδειγμα.test")).isEqualTo("\"a b\"@xn--hxajbheg2az3al.test");
        String ascii = "u@dom.test";
        assertThat(IdnDomain.addressToAscii(ascii)).isSameAs(ascii);
    }

    @Test
    void shouldGiveTheUnicodeFormOfEitherForm() {
        assertThat(IdnDomain.toUnicode("xn--bcher-kva.example")).isEqualTo("bücher.example");
        assertThat(IdnDomain.toUnicode("Bücher.example")).isEqualTo("bücher.example");
        assertThat(IdnDomain.toUnicode("example.com")).isEqualTo("example.com");
        assertThat(IdnDomain.toUnicode("xn--zz.example")).isNull();
    }
}
