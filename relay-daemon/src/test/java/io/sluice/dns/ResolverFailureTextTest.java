package io.sluice.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.lookup.LookupFailedException;

/** Why a query failed, in words: never an exception name, and an error rcode named with what it means. */
class ResolverFailureTextTest {
    private static final List<String> ONE = List.of("127.0.0.53:53");

    @Test
    void shouldNameARefusedAnswerAndWhatToCheck() {
        String text = ResolverFailureText.describe(new CompletionException(
                new LookupFailedException("Unknown non-success error code REFUSED")), ONE, Duration.ofSeconds(5));
        assertThat(text).isEqualTo("DNS resolver 127.0.0.53:53 answered REFUSED (it does not resolve for this host:"
                + " check its access rules or dns.resolvers)");
    }

    @Test
    void shouldNameOtherErrorRcodesPlainly() {
        assertThat(ResolverFailureText.describe(new LookupFailedException("Unknown non-success error code NOTIMP"),
                ONE, Duration.ofSeconds(5))).isEqualTo("DNS resolver 127.0.0.53:53 answered NOTIMP");
    }

    @Test
    void shouldSayNothingListensForAPortUnreachable() {
        assertThat(ResolverFailureText.describe(new CompletionException(new PortUnreachableException("ICMP")),
                List.of("127.0.0.1:53", "[::1]:53"), Duration.ofSeconds(5)))
                .isEqualTo("DNS resolvers 127.0.0.1:53, [::1]:53 unreachable (nothing listens on that port)");
    }
}
