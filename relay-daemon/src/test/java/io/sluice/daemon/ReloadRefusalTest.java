package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.ReloadOutcome;
import io.sluice.config.Settings;
import io.sluice.testing.JournalStates;
import io.sluice.testing.ReloadFixture;
import io.sluice.testing.SelfSignedPem;
import io.sluice.testing.Submitter;
import io.sluice.testing.TestDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads that must change nothing: an unknown key, a wrong type, a missing or unusable
 * certificate, a token file others can read, and a change that needs a restart. Each gives a precise
 * {@code <file>:<line>: <key>: <problem>} error (or {@code requires restart: <key>}), leaves the very same snapshot
 * in force, and the daemon keeps serving. Also: a valid reload picks up a certificate renewed at the same path.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReloadRefusalTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAnUnknownKeyAndKeepServing() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).smtp("max_recipients: 5"), dir)) {
            f.edit("max_recipients: 5", "max_recipients: 2\n  max_recipientz: 3");
            assertRefusedWith(f, f.config + ":" + f.lineOf("max_recipientz")
                    + ": smtp.max_recipientz: unknown key (did you mean max_recipients?)");
        }
    }

    @Test
    void shouldRefuseAWrongTypeAndKeepServing() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).smtp("max_recipients: 5"), dir)) {
            f.edit("max_recipients: 5", "max_recipients: lots");
            ReloadOutcome outcome = refused(f);
            assertThat(outcome.errors()).singleElement().asString()
                    .startsWith(f.config + ":" + f.lineOf("max_recipients") + ": smtp.max_recipients: ")
                    .contains("lots is not a whole number");
        }
    }

    @Test
    void shouldRefuseAMissingCertificateFile() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir, "mx.sluice.test");
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).listener("tls: starttls\ntls_cert: "
                + pem.cert() + "\ntls_key: " + pem.key()), dir)) {
            Path missing = dir.resolve("renewed").resolve("cert.pem");
            f.edit("tls_cert: " + pem.cert(), "tls_cert: " + missing);
            assertRefusedWith(f, f.config + ":" + f.lineOf("tls_cert") + ": listeners[0].tls_cert: " + missing
                    + " does not exist");
        }
    }

    @Test
    void shouldRefuseACertificateThatIsNotPem() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir, "mx.sluice.test");
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).listener("tls: starttls\ntls_cert: "
                + pem.cert() + "\ntls_key: " + pem.key()), dir)) {
            Files.writeString(pem.cert(), "not a certificate\n"); // readable, so only building the context fails
            ReloadOutcome outcome = refused(f);
            assertThat(outcome.errors()).singleElement().asString()
                    .startsWith(f.config + ": listeners[0].tls_cert: " + pem.cert() + " with tls_key " + pem.key()
                            + ": not a usable certificate and key: ");
        }
    }

    @Test
    void shouldRefuseATokenFileOthersCanRead() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).smtp("max_recipients: 5"), dir)) {
            f.edit("max_recipients: 5", "max_recipients: 2");
            Files.setPosixFilePermissions(f.tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
            assertRefusedWith(f, f.config + ":" + f.lineOf("token_file") + ": admin.token_file: " + f.tokenFile
                    + " is accessible by group or others (permissions rw-r--r--); make it readable by its owner"
                    + " only: chmod 600 " + f.tokenFile);
        }
    }

    @Test
    void shouldReportAListenerPortChangeAsRequiringARestartAndApplyNothing() throws Exception {
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).smtp("max_recipients: 5"), dir)) {
            Settings before = f.daemon.settings().current();
            int port = f.smtpPort();
            f.edit("port: " + port, "port: " + (port == 65535 ? port - 1 : port + 1));
            f.edit("max_recipients: 5", "max_recipients: 2"); // reloadable, but not applied alone
            ReloadOutcome outcome = f.daemon.reload();
            assertThat(outcome).isEqualTo(ReloadOutcome.needsRestart(java.util.List.of("listeners[0].port")));
            assertThat(outcome.lines()).containsExactly("requires restart: listeners[0].port");
            assertThat(f.daemon.settings().current()).isSameAs(before);
            assertStillServing(f);
        }
    }

    @Test
    void shouldServeARenewedCertificateToNewSessionsAfterReload() throws Exception {
        SelfSignedPem old = SelfSignedPem.create(Files.createDirectories(dir.resolve("old")), "old.sluice.test");
        SelfSignedPem renewed = SelfSignedPem.create(Files.createDirectories(dir.resolve("new")), "new.sluice.test");
        Path cert = Files.copy(old.cert(), dir.resolve("cert.pem"));
        Path key = Files.copy(old.key(), dir.resolve("key.pem"));
        try (ReloadFixture f = ReloadFixture.start(TestDaemon.in(dir).listener("tls: implicit\ntls_cert: " + cert
                + "\ntls_key: " + key), dir)) {
            try (SSLSocket before = tls(f.smtpPort())) {
                assertThat(peerName(before)).isEqualTo("CN=old.sluice.test");
                Files.copy(renewed.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(renewed.key(), key, StandardCopyOption.REPLACE_EXISTING);
                assertThat(f.daemon.reload().applied()).isTrue();
                try (SSLSocket after = tls(f.smtpPort())) {
                    assertThat(peerName(after)).isEqualTo("CN=new.sluice.test");
                }
                // The session opened before the reload goes on with its old certificate.
                before.getOutputStream().write("EHLO c\r\n".getBytes());
                before.getOutputStream().flush();
                String ehlo = new String(before.getInputStream().readNBytes(4));
                assertThat(ehlo).isEqualTo("220 "); // greeting first: the session is alive
            }
        }
    }

    private static ReloadOutcome refused(ReloadFixture f) throws Exception {
        Settings before = f.daemon.settings().current();
        ReloadOutcome outcome = f.daemon.reload();
        assertThat(outcome.applied()).isFalse();
        assertThat(outcome.requiresRestart()).isEmpty();
        assertThat(f.daemon.settings().current()).as("the running snapshot").isSameAs(before);
        assertStillServing(f);
        return outcome;
    }

    private static void assertRefusedWith(ReloadFixture f, String error) throws Exception {
        assertThat(refused(f).errors()).containsExactly(error);
    }

    private static void assertStillServing(ReloadFixture f) throws Exception {
        if (f.daemon.settings().current().listeners().get(0).tls()
                == io.sluice.config.ListenerSettings.TlsMode.IMPLICIT) {
            return;
        }
        String id;
        try (Submitter s = new Submitter("127.0.0.1", f.smtpPort())) {
            id = s.submit("after-refusal@client.test", "a@dest.test");
        }
        assertThat(JournalStates.read(f.daemon.settings().current().journal().dir())).containsKey(id);
    }

    private static SSLSocket tls(int port) throws Exception {
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
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static String peerName(SSLSocket socket) throws Exception {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
}
