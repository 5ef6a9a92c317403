package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes MAIL FROM / RCPT TO path parsing ({@link MailPath} over {@code util.MailboxSyntax}), the trust boundary for
 * addresses, directly: far more addresses per second than through a session. The session state machine around it
 * is fuzzed over real connections by {@link SmtpSessionFuzzTest}.
 *
 * <p>Input: one octet choosing MAIL or RCPT, then the argument. Properties: parsing never throws; a result is
 * either an error reply (a 501, 553 or 555 line with an enhanced code) or an address; an accepted address holds no
 * control character, no Unicode line or paragraph separator and no CR/LF (it is copied into headers); it
 * round-trips: {@code FROM:<address>} / {@code TO:<address>} parses to the same address; its domain part follows an
 * {@code @}.
 *
 * <p>Replayed from {@code MailPathFuzzTestInputs/} on every {@code mvn test}; fuzzed with {@code -Pfuzz}.
 */
class MailPathFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void pathParsingNeverThrowsAndAcceptedPathsRoundTrip(byte[] input) {
        if (input.length == 0) {
            return;
        }
        // First octet picks the command ('M' or anything even: MAIL), the rest is the argument as UTF-8, so the saved
        // inputs read as text, e.g. "MFROM:<a@b.test> SIZE=10".
        boolean mail = input[0] == 'M' || (input[0] != 'R' && (input[0] & 1) == 0);
        String argument = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        MailPath path = mail ? MailPath.parseMailFrom(argument) : MailPath.parseRcptTo(argument);
        if (path.error() != null) {
            assertThat(path.error()).matches("(501 5\\.5\\.4|555 5\\.5\\.4|553 5\\.1\\.[37]) .*");
            return;
        }
        String address = path.address();
        address.codePoints().forEach(c -> assertThat(c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)
                || c == 0x2028 || c == 0x2029 || c == 0x85)
                .as("accepted address %s holds control or separator U+%04X", address, c).isFalse());
        MailPath again = mail ? MailPath.parseMailFrom("FROM:<" + address + ">")
                : MailPath.parseRcptTo("TO:<" + address + ">");
        assertThat(again.error()).as("re-parsing accepted %s", address).isNull();
        assertThat(again.address()).isEqualTo(address);
        if (!address.isEmpty() && !path.isBarePostmaster()) {
            assertThat(address).contains("@");
            assertThat(path.domain()).isNotEmpty();
            assertThat(address).endsWith("@" + path.domain());
        }
    }
}
