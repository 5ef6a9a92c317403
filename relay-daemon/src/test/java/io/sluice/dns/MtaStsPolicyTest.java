package io.sluice.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/** The RFC 8461 policy format, MX pattern matching and the {@code _mta-sts} TXT record's id. */
class MtaStsPolicyTest {

    @Test
    void shouldParseAPolicyWithCrLfOrLfAndIgnoreUnknownFields() {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                + "mx: *.Example.NET.\r\nmax_age: 604800\r\nextension: ignored\r\n", "abc", 1000);
        assertThat(p.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(p.mx()).containsExactly("mail.example.com", "*.example.net");
        assertThat(p.maxAgeSeconds()).isEqualTo(604800);
        assertThat(p.id()).isEqualTo("abc");
        assertThat(p.validAt(1000 + 604_799_999L)).isTrue();
        assertThat(p.validAt(1000 + 604_800_000L)).isFalse();
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 0\n", "x", 0).mx()).isEmpty();
    }

    @Test
    void shouldMatchExactNamesAndOneLeftmostLabelForAWildcard() {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: testing\nmx: mail.example.com\n"
                + "mx: *.example.net\nmax_age: 60\n", "1", 0);
        assertThat(p.allows("MAIL.example.com.")).isTrue();
        assertThat(p.allows("mx1.example.net")).isTrue();
        assertThat(p.allows("a.b.example.net")).as("one label only").isFalse();
        assertThat(p.allows("example.net")).isFalse();
        assertThat(p.allows("mail.example.com.evil.test")).isFalse();
        assertThat(p.allows("xmail.example.com")).isFalse();
    }

    @Test
    void shouldRefuseMalformedPoliciesInWords() {
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv2\nmode: enforce\nmx: a.test\nmax_age: 1\n",
                "1", 0)).hasMessageContaining("not STSv1");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: strict\nmx: a.test\nmax_age: 1\n",
                "1", 0)).hasMessageContaining("\"strict\" is not enforce, testing or none");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmax_age: 1\n", "1", 0))
                .hasMessageContaining("lists no mx");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.test\n", "1", 0))
                .hasMessageContaining("no max_age");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 31557601\n",
                "1", 0)).hasMessageContaining("above 31557600");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: -5\n",
                "1", 0)).hasMessageContaining("not a number of seconds");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.*.test\nmax_age: 5\n",
                "1", 0)).hasMessageContaining("not a host name or *.name");
        assertThatThrownBy(() -> MtaStsPolicy.parse("<html>not found</html>", "1", 0))
                .hasMessageContaining("policy line without key");
    }

    @Test
    void shouldTakeTheIdOfExactlyOneStsRecord() throws Exception {
        assertThat(MtaStsPolicies.recordId(List.of(txt("v=STSv1; id=20160831085700Z;")))).isEqualTo("20160831085700Z");
        assertThat(MtaStsPolicies.recordId(List.of(txt("v=spf1 -all"), txt("v=STSv1;", " id=abc")))).isEqualTo("abc");
        assertThat(MtaStsPolicies.recordId(List.of(txt("v=STSv1; id=a"), txt("v=STSv1; id=b"))))
                .as("several records: no policy (RFC 8461 3.1)").isNull();
        assertThat(MtaStsPolicies.recordId(List.of(txt("v=STSv1; id=not-alnum")))).isNull();
        assertThat(MtaStsPolicies.recordId(List.of(txt("v=STSv1 ; id=spaced")))).isEqualTo("spaced");
        assertThat(MtaStsPolicies.recordId(List.of(txt("v=STSv1; id=good"), txt("v=STSv10; id=other"),
                txt("v=STSv1")))).as("records not beginning with v=STSv1; are discarded").isEqualTo("good");
        assertThat(MtaStsPolicies.recordId(List.of(txt("v=STSv1")))).isNull();
        assertThat(MtaStsPolicies.recordId(List.of())).isNull();
    }

    private static Record txt(String... strings) throws Exception {
        return new TXTRecord(Name.fromString("_mta-sts.example.com."), DClass.IN, 300, List.of(strings));
    }
}
