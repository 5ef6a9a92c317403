package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.journal.JournalLock;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 9: everything that can be checked is checked before the journal is locked, opened or recovered.
 * A start that fails on the admin token, a TLS certificate, an AUTH users file or a port in use leaves no journal
 * directory behind (a first start) or leaves an existing journal's files exactly as they were; the message names the
 * config file and key.
 */
class StartupChecksTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseATokenOfFifteenCharactersBeforeCreatingTheJournal() throws Exception {
        Path token = privateFile("token", "abcdefghijklmno\n");
        Settings settings = load(TestDaemon.in(dir).admin("token_file: " + token));

        assertThatThrownBy(() -> Daemon.start(settings).shutdown())
                .hasMessageContaining("sluice.yaml: admin.token_file: ")
                .hasMessageContaining("shorter than 16 characters");
        assertThat(journalDir()).doesNotExist();
    }

    @Test
    void shouldRefuseAnUnusableTlsCertificateBeforeCreatingTheJournal() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        Settings settings = load(TestDaemon.in(dir).listener("tls: starttls\ntls_cert: " + cert + "\ntls_key: " + key));

        assertThatThrownBy(() -> Daemon.start(settings).shutdown())
                .hasMessageContaining("listeners[0].tls_cert: " + cert)
                .hasMessageContaining("not a usable certificate and key");
        assertThat(journalDir()).doesNotExist();
    }

    @Test
    void shouldRefuseAMalformedUsersFileBeforeCreatingTheJournal() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "bob:not-a-hash\n");
        Settings settings = load(TestDaemon.in(dir)
                .listener("auth:\n  enabled: true\n  allow_plaintext: true\n  users_file: " + users));

        assertThatThrownBy(() -> Daemon.start(settings).shutdown())
                .hasMessageContaining("listeners[0].auth.users_file: " + users + ":1: ");
        assertThat(journalDir()).doesNotExist();
    }

    @Test
    void shouldRefuseAListenerPortInUseBeforeCreatingTheJournal() throws Exception {
        Settings settings = load(TestDaemon.in(dir));
        try (ServerSocket taken = occupy(settings.listeners().get(0).port())) {
            assertThatThrownBy(() -> Daemon.start(settings).shutdown())
                    .hasMessageContaining("listeners[0].port: listener default: cannot bind 127.0.0.1:"
                            + taken.getLocalPort() + " now: ");
        }
        assertThat(journalDir()).doesNotExist();
    }

    @Test
    void shouldRefuseAnAdminPortInUseBeforeCreatingTheJournal() throws Exception {
        Settings settings = load(TestDaemon.in(dir));
        try (ServerSocket taken = occupy(settings.admin().port())) {
            assertThatThrownBy(() -> Daemon.start(settings).shutdown())
                    .hasMessageContaining("admin.port: admin endpoint: cannot bind 127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(journalDir()).doesNotExist();
    }

    @Test
    void shouldLeaveAnExistingJournalUntouchedWhenAPortIsInUse() throws Exception {
        Settings settings = load(TestDaemon.in(dir));
        try (Daemon daemon = Daemon.start(settings); SmtpClient client = new SmtpClient("127.0.0.1",
                daemon.smtpPort(0))) {
            client.reply();
            client.command("EHLO client.test");
            client.command("MAIL FROM:<a@client.test>");
            client.command("RCPT TO:<b@dest.test>");
            client.command("DATA");
            assertThat(client.command("Subject: kept\r\n\r\nbody\r\n.")).startsWith("250 ");
            client.command("QUIT");
        }
        Map<String, String> before = files(journalDir());
        assertThat(before).containsKey(JournalLock.FILE_NAME);
        Thread.sleep(1_100); // file times have a resolution; a touched file must show a new one

        try (ServerSocket taken = occupy(settings.listeners().get(0).port())) {
            assertThatThrownBy(() -> Daemon.start(settings).shutdown()).hasMessageContaining("listeners[0].port");
        }
        Map<String, String> after = files(journalDir());
        // The lock file is the one file a refused start may write (its PID); every journal file stays as it was.
        before.remove(JournalLock.FILE_NAME);
        after.remove(JournalLock.FILE_NAME);
        assertThat(after).isEqualTo(before);
    }

    private Path journalDir() {
        return dir.resolve("journal");
    }

    private Settings load(TestDaemon.Builder builder) throws Exception {
        return SettingsLoader.load(builder.writeConfig());
    }

    private Path privateFile(String name, String content) throws Exception {
        Path file = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static ServerSocket occupy(int port) throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        return socket;
    }

    /** Every file under {@code root}: relative path to size and modification time. */
    private static Map<String, String> files(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }
}
