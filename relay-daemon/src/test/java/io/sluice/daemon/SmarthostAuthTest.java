package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.sluice.testing.AdminHttp;
import io.sluice.testing.FreePorts;
import io.sluice.testing.ReloadFixture;
import io.sluice.testing.SelfSignedPem;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.TestDnsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.auth.LoginAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.auth.PlainAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.UsernamePasswordValidator;
import org.subethamail.smtp.server.SMTPServer;

/**
 * SMTP AUTH towards a smarthost against a real server: SubEthaSMTP with STARTTLS (a self-signed certificate) that
 * requires TLS and AUTH, offering only PLAIN or only LOGIN. Sluice authenticates inside TLS with the password from
 * {@code password_file}; a wrong password is a path failure (the breaker opens, the mail waits, nothing is lost);
 * and a password is never sent in clear text.
 */
class SmarthostAuthTest {
    private static final String USER = "relay-user";
    private static final String PASSWORD = "s3cret pass\u00e9";

    @TempDir
    Path dir;

    /** A smarthost that wants TLS and then AUTH; records the identity of each message's session. */
    private static final class AuthSmarthost implements AutoCloseable {
        final List<String> identities = new CopyOnWriteArrayList<>();
        final AtomicInteger failedLogins = new AtomicInteger();
        final SMTPServer server;

        AuthSmarthost(int port, SSLContext tls, boolean offerTls, boolean plain) throws Exception {
            UsernamePasswordValidator validator = (user, password, context) -> {
                if (!USER.equals(user) || !PASSWORD.equals(password)) {
                    failedLogins.incrementAndGet();
                    throw new LoginFailedException("535 5.7.8 bad credentials");
                }
            };
            AuthenticationHandlerFactory auth = plain ? new PlainAuthenticationHandlerFactory(validator)
                    : new LoginAuthenticationHandlerFactory(validator);
            SMTPServer.Builder b = new SMTPServer.Builder()
                    .bindAddress(InetAddress.getByName("127.0.0.23"))
                    .port(port)
                    .hostName("smarthost.test")
                    .authenticationHandlerFactory(auth)
                    .requireAuth()
                    .messageHandlerFactory(this::handler);
            if (offerTls) {
                b.enableTLS().requireTLS().startTlsSocketFactory(tls);
            }
            server = b.build();
            server.start();
        }

        private MessageHandler handler(MessageContext context) {
            return new MessageHandler() {
                @Override
                public void from(String from) {
                }

                @Override
                public void recipient(String recipient) {
                }

                @Override
                public String data(InputStream data) throws java.io.IOException {
                    data.readAllBytes();
                    identities.add(String.valueOf(context.getAuthenticationHandler()
                            .map(h -> h.getIdentity()).orElse(null)));
                    return null;
                }

                @Override
                public void done() {
                }
            };
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    private SSLContext serverTls() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir, "smarthost.test");
        return ((JdkSslContext) SslContextBuilder.forServer(pem.cert().toFile(), pem.key().toFile())
                .sslProvider(SslProvider.JDK).build()).context();
    }

    private ReloadFixture relay(TestDnsServer dns, int port, String tls, String password) throws Exception {
        Path secret = dir.resolve("esp.secret");
        Files.writeString(secret, password + "\n");
        return ReloadFixture.start(TestDaemon.in(dir).dns(dns)
                .delivery("retry:\n  first: 5m\n  max: 5m")
                .topLevel("""
                        smarthosts:
                          - name: esp
                            host: 127.0.0.23
                            port: %d
                            tls: %s
                            auth: {username: %s, password_file: %s}
                            circuit: {open_after: 2, cooldown: 30s}
                        routes:
                          - {name: default, smarthosts: [esp]}
                        """.formatted(port, tls, USER, secret)), dir);
    }

    @Test
    void shouldAuthenticateWithPlainAfterStartTls() throws Exception {
        deliversWith(true);
    }

    @Test
    void shouldAuthenticateWithLoginAfterStartTls() throws Exception {
        deliversWith(false);
    }

    private void deliversWith(boolean plain) throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             AuthSmarthost esp = new AuthSmarthost(port, serverTls(), true, plain);
             ReloadFixture f = relay(dns, port, "required", PASSWORD);
             Submitter submitter = new Submitter("127.0.0.1", f.smtpPort())) {
            for (int i = 0; i < 5; i++) {
                submitter.submit("auth" + i + "@client.test", "user" + i + "@anywhere.test");
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> esp.identities.size() == 5);
            assertThat(esp.identities).containsOnly(USER);
            assertThat(esp.failedLogins).hasValue(0);
        }
    }

    @Test
    void shouldOpenTheCircuitOnAWrongPasswordAndKeepTheMail() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             AuthSmarthost esp = new AuthSmarthost(port, serverTls(), true, true);
             ReloadFixture f = relay(dns, port, "required", "wrong")) {
            try (Submitter submitter = new Submitter("127.0.0.1", f.smtpPort())) {
                for (int i = 0; i < 3; i++) {
                    submitter.submit("bad" + i + "@client.test", "user" + i + "@anywhere.test");
                }
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> esp.failedLogins.get() >= 2
                    && status(f).contains("\"name\":\"esp\"") && status(f).contains("\"state\":\"open\""));
            assertThat(esp.identities).isEmpty();
            assertThat(queuedRecipients(f)).as("nothing lost: every recipient still pending").isEqualTo(3);
        }
    }

    @Test
    void shouldNeverSendThePasswordWithoutTls() throws Exception {
        int port = FreePorts.next();
        try (TestDnsServer dns = TestDnsServer.start("test");
             AuthSmarthost esp = new AuthSmarthost(port, null, false, true);
             ReloadFixture f = relay(dns, port, "opportunistic", PASSWORD);
             Submitter submitter = new Submitter("127.0.0.1", f.smtpPort())) {
            submitter.submit("clear1@client.test", "someone@anywhere.test");
            submitter.submit("clear2@client.test", "someone@anywhere.test");
            await().atMost(Duration.ofSeconds(15)).until(() -> status(f).contains("\"state\":\"open\""));
            assertThat(esp.identities).isEmpty();
            assertThat(esp.failedLogins).as("no AUTH attempted in clear text").hasValue(0);
        }
    }

    private static String status(ReloadFixture f) throws Exception {
        return AdminHttp.get(f.adminPort(), "/admin/status");
    }

    private static long queuedRecipients(ReloadFixture f) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"pending_recipients\":(\\d+)")
                .matcher(status(f));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
