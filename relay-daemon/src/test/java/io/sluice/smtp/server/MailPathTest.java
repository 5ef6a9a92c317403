package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.util.MailboxSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The path grammar of RFC 5321 4.1.2 and RFC 6531 3.3 ({@link MailPath}, {@link MailboxSyntax}): what is a mailbox,
 * what is refused and with which reply, lengths in octets, parameters.
 */
class MailPathTest {

    private static MailPath rcpt(String path) {
        return MailPath.parseRcptTo("TO:<" + path + ">");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@dom.test", "first.last@dom.test", "a+tag@sub.dom.test", "!#$%&'*+-/=?^_`{|}~@d.test",
            "\"a b\"@dom.test", "\"a@b\"@dom.test", "\"a,b;c:(d)[e]\"@dom.test", "\"a\\\"b\"@dom.test",
            "\"\"@dom.test", "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]", "user@xn--hxajbheg2az3al.test",
            "user@a-b.c-d.test", "user@1.2.test", "δοκιμή@παράδειγμα.test", "用户@例子.广告", "postmaster",
            "PostMaster", "a@b"})
    void shouldAcceptValidMailboxes(String path) {
        MailPath p = rcpt(path);
        assertThat(p.error()).as(path).isNull();
        assertThat(p.address()).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,b@dom.test", "dsn@snd.test,evil@snd.test", "a(b)@dom.test", "a;b@dom.test",
            "a:b@dom.test", "a[b]@dom.test", "a b@dom.test", "a@b@dom.test", ".a@dom.test", "a.@dom.test",
            "a..b@dom.test", "@dom.test", "user", "user@", "user@dom..test", "user@.dom.test", "user@dom.test.",
            "user@-dom.test", "user@dom-.test", "user@dom_x.test", "user@dom test", "user@[1.2.3]",
            "user@[IPv6:1.2.3.4]", "user@[tag:foo]", "user@[192.0.2.1", "\"a<b\"@dom.test", "\"a\tb\"@dom.test", "a\u0085b@dom.test",
            "a\u2028b@dom.test",
            "a\u2029b@dom.test", "a\u00a0b@dom.test", "a\u202eb@dom.test", "a\u0001b@dom.test", "a\u007fb@dom.test",
            "a\uffffb@dom.test", "user@d\u2028om.test", "user@d\u0085.test", "a\"b\"@dom.test"})
    void shouldRefuseInvalidMailboxesWith553513(String path) {
        assertThat(rcpt(path).error()).as(path).startsWith("553 5.1.3 Bad recipient address syntax: ");
    }

    @Test
    void shouldRefuseABadSenderWith553517() {
        assertThat(MailPath.parseMailFrom("FROM:<dsn@snd.test,evil@snd.test>").error())
                .isEqualTo("553 5.1.7 Bad sender address syntax: character not allowed in a domain");
        assertThat(MailPath.parseMailFrom("FROM:<a(b)@snd.test>").error())
                .isEqualTo("553 5.1.7 Bad sender address syntax: character not allowed in an unquoted local part");
        assertThat(MailPath.parseMailFrom("FROM:<postmaster>").error()).as("bare postmaster is for RCPT only")
                .startsWith("553 5.1.7");
        assertThat(MailPath.parseMailFrom("FROM:<>").address()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a b@dom.test", "\"a\"b\"@dom.test", "\"a\\\"@dom.test"})
    void shouldTreatAnUnterminatedQuoteAsAnUnclosedPath(String path) {
        assertThat(rcpt(path).error()).as(path).isEqualTo("501 5.5.4 Syntax: RCPT TO:<address>");
    }

    @Test
    void shouldRefuseMalformedCommandsWith501() {
        assertThat(MailPath.parseRcptTo("TO:user@dom.test").error()).isEqualTo("501 5.5.4 Syntax: RCPT TO:<address>");
        assertThat(MailPath.parseRcptTo("TO:<user@dom.test").error()).startsWith("501 5.5.4");
        assertThat(MailPath.parseRcptTo("TO:<user@dom.test>x").error()).startsWith("501 5.5.4");
        assertThat(MailPath.parseRcptTo("TO:<>").error()).startsWith("553 5.1.3");
    }

    @Test
    void shouldFindTheClosingBracketOutsideQuotes() {
        MailPath p = MailPath.parseMailFrom("FROM:<\"a>b\"@dom.test> SIZE=10");
        assertThat(p.error()).as("> is refused even quoted, but the path ends at the real >").startsWith("553 5.1.7");
        MailPath q = MailPath.parseMailFrom("FROM:<\"a b\"@dom.test> SIZE=10 BODY=8BITMIME");
        assertThat(q.error()).isNull();
        assertThat(q.address()).isEqualTo("\"a b\"@dom.test");
        assertThat(q.declaredSize()).isEqualTo(10);
        assertThat(q.eightBitMime()).isTrue();
    }

    @Test
    void shouldCountLengthsInOctets() {
        assertThat(rcpt("a".repeat(64) + "@dom.test").error()).isNull();
        assertThat(rcpt("a".repeat(65) + "@dom.test").error()).endsWith("local part longer than 64 octets");
        assertThat(rcpt("é".repeat(32) + "@dom.test").error()).isNull();
        assertThat(rcpt("é".repeat(33) + "@dom.test").error()).as("33 two-octet characters are 66 octets")
                .endsWith("local part longer than 64 octets");
        assertThat(rcpt("u@" + "a".repeat(63) + ".test").error()).isNull();
        assertThat(rcpt("u@" + "a".repeat(64) + ".test").error()).endsWith("domain label longer than 63 octets");
        String longDomain = ("a".repeat(60) + ".").repeat(4) + "test"; // 248 octets
        assertThat(rcpt("u@" + longDomain).error()).isNull();
        assertThat(rcpt("u".repeat(10) + "@" + longDomain).error()).endsWith("path longer than 256 octets");
    }

    @Test
    void shouldCheckAndDropSourceRoutes() {
        MailPath p = rcpt("@relay.test,@r2.test:user@dom.test");
        assertThat(p.error()).isNull();
        assertThat(p.address()).isEqualTo("user@dom.test");
        assertThat(rcpt("@relay.test:user@dom.test").address()).isEqualTo("user@dom.test");
        assertThat(rcpt("@bad..test:user@dom.test").error()).endsWith("bad source route");
        assertThat(rcpt("@relay.test,user@dom.test").error()).endsWith("bad source route");
    }

    @Test
    void shouldReportDomainKind() {
        assertThat(rcpt("u@dom.test").domain()).isEqualTo("dom.test");
        assertThat(rcpt("\"a@b\"@dom.test").domain()).isEqualTo("dom.test");
        assertThat(rcpt("u@[192.0.2.1]").isAddressLiteral()).isTrue();
        assertThat(rcpt("postmaster").isBarePostmaster()).isTrue();
        assertThat(rcpt("postmaster").domain()).isNull();
        assertThat(rcpt("postmaster@dom.test").isBarePostmaster()).isFalse();
    }

    @Test
    void shouldParseParametersWithoutRegex() {
        MailPath p = MailPath.parseMailFrom("FROM:<a@b.test>  SIZE=123   SMTPUTF8 AUTH=<>");
        assertThat(p.error()).isNull();
        assertThat(p.declaredSize()).isEqualTo(123);
        assertThat(p.smtpUtf8()).isTrue();
        assertThat(MailPath.parseMailFrom("FROM:<a@b.test> SIZE=12x").error()).startsWith("501 5.5.4");
        assertThat(MailPath.parseMailFrom("FROM:<a@b.test> X\u0085=1").error())
                .isEqualTo("555 5.5.4 Unsupported option: X?=1");
        assertThat(MailPath.parseRcptTo("TO:<a@b.test> SIZE=1").error()).startsWith("555 5.5.4");
    }
}
