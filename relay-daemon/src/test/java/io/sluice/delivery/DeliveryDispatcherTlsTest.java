package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opportunistic TLS through the whole dispatcher: a next hop whose STARTTLS handshake fails is tried again at once
 * in clear text and the message is delivered; the site is then remembered as clear-text ({@link ClearTextSites}).
 */
class DeliveryDispatcherTlsTest {
    private static final String EHLO_STARTTLS = """
            S: 220 mx.test ESMTP
            C: EHLO sluice.test
            S: 250-mx.test
            S: 250 STARTTLS
            """;

    @TempDir
    Path dir;

    private ScriptedMx mx;
    private DispatchFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
        if (mx != null) {
            mx.close();
        }
    }

    @Test
    void shouldRetryInClearTextAfterAFailedTlsHandshakeAndDeliver() throws Exception {
        mx = ScriptedMx.start("127.0.0.2", EHLO_STARTTLS + """
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                !garbage
                """, EHLO_STARTTLS + """
                C: MAIL FROM:<sender@relay.test>*
                S: 250 2.1.0 ok
                C: RCPT TO:<u@g.test>
                S: 250 2.1.5 ok
                C: DATA
                S: 354 go ahead
                T:
                S: 250 2.0.0 queued
                """);
        f = new DispatchFixture(dir, mx.address().getPort(), 4);
        f.dns.mx("g.test", 10, "mx.g.test").a("mx.g.test", "127.0.0.2");
        f.accept(1, "sender@relay.test", "Subject: tls\r\n\r\nhello\r\n", "u@g.test");

        f.runUntil("delivered", () -> !f.journalled.isEmpty());
        assertThat(f.journalled).containsExactly("1/0/delivered");
        assertThat(mx.connections()).isEqualTo(2);
        assertThat(mx.session(1).clientLines()).doesNotContain("STARTTLS");
    }

    @Test
    void shouldRememberAClearTextSiteUntilTheMemoryLapses() throws Exception {
        ClearTextSites<String> sites = new ClearTextSites<>(50_000_000L);
        assertThat(sites.inClearText("s")).isFalse();
        sites.tlsFailed("s");
        assertThat(sites.inClearText("s")).isTrue();
        assertThat(sites.inClearText("other")).isFalse();
        Thread.sleep(60);
        assertThat(sites.inClearText("s")).isFalse();
    }
}
