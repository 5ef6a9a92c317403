package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.smtp.server.auth.PasswordHash;
import io.sluice.smtp.server.auth.UsersFile;
import io.sluice.testing.SelfSignedPem;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.StoredMessages.Stored;
import io.sluice.testing.TestDaemon;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS, implicit TLS and AUTH with Angus Mail as the client (as applications use it), plus the STARTTLS
 * injection case over a raw socket. The listener's relay_networks exclude loopback, so only AUTH allows relaying.
 */
class SmtpTlsAuthTest {

    @TempDir
    Path dir;
    private SelfSignedPem pem;
    private Path users;

    @BeforeEach
    void setUp() throws Exception {
        pem = SelfSignedPem.create(dir, "mx.sluice.test");
        users = dir.resolve("users");
        Files.writeString(users, UsersFile.formatLine("app", PasswordHash.hash("s3cret-pass".toCharArray(), 1000))
                + "\n");
    }

    private TestDaemon.Builder daemon(String tls, boolean allowPlaintext) {
        return TestDaemon.in(dir).listener("tls: " + tls + "\ntls_cert: " + pem.cert() + "\ntls_key: " + pem.key()
                + "\nrelay_networks: [10.0.0.0/8]\nauth:\n  enabled: true\n  users_file: " + users
                + "\n  allow_plaintext: " + allowPlaintext);
    }

    private static Properties props(int port, boolean startTls, boolean implicit, String mechanism) {
        Properties p = new Properties();
        String protocol = implicit ? "smtps" : "smtp";
        p.put("mail." + protocol + ".host", "127.0.0.1");
        p.put("mail." + protocol + ".port", String.valueOf(port));
        p.put("mail." + protocol + ".ssl.trust", "*");
        p.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        p.put("mail." + protocol + ".starttls.enable", String.valueOf(startTls));
        p.put("mail." + protocol + ".starttls.required", String.valueOf(startTls));
        p.put("mail." + protocol + ".auth", "true");
        p.put("mail." + protocol + ".auth.mechanisms", mechanism);
        p.put("mail." + protocol + ".timeout", "10000");
        p.put("mail.transport.protocol", protocol);
        return p;
    }

    private static void send(Properties props, String user, String password, String subject) throws MessagingException {
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("app@client.test"));
        message.setRecipients(Message.RecipientType.TO, "user@dest.test");
        message.setSubject(subject);
        message.setText("Hello over TLS.\n.leading dot\n");
        try (Transport transport = session.getTransport()) {
            transport.connect(user, password);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    @Test
    void shouldRelayAfterStartTlsAndAuthPlainOrLogin() throws Exception {
        try (TestDaemon d = daemon("starttls", false).start()) {
            send(props(d.smtpPort(), true, false, "PLAIN"), "app", "s3cret-pass", "plain");
            send(props(d.smtpPort(), true, false, "LOGIN"), "app", "s3cret-pass", "login");
        }
        List<Stored> stored = StoredMessages.read(dir.resolve("journal"));
        assertThat(stored).hasSize(2).allSatisfy(m -> {
            assertThat(m.authIdentity()).isEqualTo("app");
            assertThat(m.text()).contains(" with ESMTPSA id ").contains("\r\n..leading dot\r\n".substring(3));
        });
    }

    @Test
    void shouldRefuseWrongPassword() throws Exception {
        try (TestDaemon d = daemon("starttls", false).start()) {
            assertThatThrownBy(() -> send(props(d.smtpPort(), true, false, "PLAIN"), "app", "wrong", "x"))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("535 5.7.8");
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).isEmpty();
    }

    @Test
    void shouldNotOfferAuthBeforeTlsAndDenyRelayWithoutIt() throws Exception {
        try (TestDaemon d = daemon("starttls", false).start(); SmtpClient c = d.connect()) {
            c.reply();
            String ehlo = c.command("EHLO c");
            assertThat(ehlo).contains("250-STARTTLS").doesNotContain("AUTH");
            assertThat(c.command("HELP")).as("as EHLO: STARTTLS now, AUTH only after it")
                    .isEqualTo("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS");
            assertThat(c.command("AUTH PLAIN AGFwcABzM2NyZXQtcGFzcw=="))
                    .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
            assertThat(c.command("MAIL FROM:<a@client.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<user@dest.test>")).isEqualTo("554 5.7.1 <user@dest.test>: Relay access denied");
        }
    }

    @Test
    void shouldAuthenticateInPlaintextOnlyWhenAllowed() throws Exception {
        try (TestDaemon d = daemon("none", true).start(); SmtpClient c = d.connect()) {
            c.reply();
            assertThat(c.command("EHLO c")).contains("250-AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(c.command("HELP"))
                    .isEqualTo("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP AUTH");
            String plain = java.util.Base64.getEncoder().encodeToString("\0app\0s3cret-pass".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + plain)).isEqualTo("235 2.7.0 Authentication successful");
            assertThat(c.command("AUTH PLAIN " + plain)).startsWith("503 5.5.1");
            c.send("MAIL FROM:<a@client.test>\r\nRCPT TO:<user@dest.test>\r\n");
            assertThat(c.replies(2)).containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok");
        }
    }

    @Test
    void shouldDeliverOverImplicitTls() throws Exception {
        try (TestDaemon d = daemon("implicit", false).start()) {
            send(props(d.smtpPort(), false, true, "PLAIN"), "app", "s3cret-pass", "smtps");
        }
        assertThat(StoredMessages.read(dir.resolve("journal"))).hasSize(1);
    }

    @Test
    void shouldDiscardCommandsPipelinedAfterStartTls() throws Exception {
        try (TestDaemon d = daemon("starttls", false).start(); Socket plain = new Socket("127.0.0.1", d.smtpPort())) {
            plain.setSoTimeout(10_000);
            SmtpLines lines = new SmtpLines(plain);
            assertThat(lines.reply()).startsWith("220");
            OutputStream out = plain.getOutputStream();
            out.write("EHLO c\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(lines.reply()).contains("STARTTLS");
            // CVE-2011-0411 style injection: plaintext commands after STARTTLS in the same packet.
            out.write("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(lines.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
            SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, "127.0.0.1", d.smtpPort(), true);
            tls.startHandshake();
            SmtpLines secure = new SmtpLines(tls);
            tls.getOutputStream().write("EHLO c\r\n".getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            String ehlo = secure.reply();
            assertThat(ehlo).as("first reply after TLS must answer our EHLO, not the injected MAIL")
                    .startsWith("250-mx.sluice.test").contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            tls.getOutputStream().write("RCPT TO:<user@dest.test>\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(secure.reply()).isEqualTo("503 5.5.1 Error: need MAIL command");
        }
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    /** Reads complete replies from any socket (plain or TLS). */
    private static final class SmtpLines {
        private final java.io.BufferedReader reader;

        SmtpLines(Socket socket) throws java.io.IOException {
            reader = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
        }

        String reply() throws java.io.IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                String line = reader.readLine();
                if (line == null) {
                    return sb.toString();
                }
                sb.append(sb.length() > 0 ? "\n" : "").append(line);
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return sb.toString();
                }
            }
        }
    }
}
