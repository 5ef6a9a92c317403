package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.Tmpfs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 2: the journal's disk fills up completely (another process takes the last byte) while a client is
 * in DATA. The daemon (its own JVM, as under systemd) must answer the final dot, never hang: the space the append
 * needs is reserved before the journal's mapped pages are touched, so the message gets {@code 452 4.3.1} and the
 * daemon stays up, refusing at MAIL and not ready while the disk is short; once the space is freed it takes mail
 * again without a restart, and SIGTERM stops it at once with exit 0. Before, the writer thread died of a SIGBUS,
 * the dot went unanswered, {@code /readyz} stayed 200 and SIGTERM took 60 s.
 *
 * <p>Skipped where a tmpfs cannot be mounted ({@link Tmpfs}).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DiskFullTest {
    private static final int TMPFS_MIB = 64;
    private static final int BIG_BODY_BYTES = 6 << 20;

    @TempDir
    Path dir;

    @Test
    void shouldAnswerTheDotAndRecoverWhenTheDiskFillsDuringData() throws Exception {
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("journal"), TMPFS_MIB)) {
            Path config = TestDaemon.in(dir).smtp("max_message_size: 8MiB").journal("min_free: 4MiB")
                    .writeConfig();
            List<String> lines = Files.readAllLines(config);
            int smtpPort = port(lines, 0);
            int adminPort = port(lines, 1);
            Path filler = dir.resolve("journal").resolve("filler");
            try (DaemonProcess daemon = DaemonProcess.start(config)) {
                try (SmtpClient c = new SmtpClient("127.0.0.1", smtpPort)) {
                    c.reply();
                    c.command("EHLO client.test");
                    assertThat(send(c, 1000)).startsWith("250 2.0.0");

                    assertThat(c.command("MAIL FROM:<sender@client.test>")).startsWith("250");
                    assertThat(c.command("RCPT TO:<user@full.test>")).startsWith("250");
                    assertThat(c.command("DATA")).startsWith("354");
                    c.send(body(BIG_BODY_BYTES));
                    fill(filler);
                    assertThat(tmpfs.freeBytes()).isLessThan(64 * 1024);
                    c.send(".\r\n");
                    c.socket().setSoTimeout(20_000);
                    String reply;
                    try {
                        reply = c.reply();
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError("the final dot was not answered within 20 s:\n"
                                + String.join("\n", daemon.output()));
                    }
                    assertThat(reply).as("reply to the dot; daemon output:\n%s", String.join("\n", daemon.output()))
                            .startsWith("452 4.3.1");
                    // the free-space figure is at most 100 ms old (its own thread): not ready, MAIL refused
                    await().atMost(Duration.ofSeconds(5)).until(() -> readyz(adminPort).contains("min_free"));
                    assertThat(c.command("MAIL FROM:<sender@client.test>")).startsWith("452 4.3.1");
                }
                assertThat(daemon.isAlive()).isTrue();

                Files.delete(filler);
                await().atMost(Duration.ofSeconds(10)).until(() -> readyz(adminPort).equals("200"));
                try (SmtpClient c = new SmtpClient("127.0.0.1", smtpPort)) {
                    c.reply();
                    c.command("EHLO client.test");
                    assertThat(send(c, BIG_BODY_BYTES)).as("mail again once space is back").startsWith("250 2.0.0");
                }
                long start = System.nanoTime();
                assertThat(daemon.terminate()).as("exit status after SIGTERM").isZero();
                assertThat((System.nanoTime() - start) / 1_000_000).as("SIGTERM to exit, ms").isLessThan(15_000);
            }
        }
    }

    /** The n-th {@code port:} line of the config (0: the SMTP listener, 1: admin). */
    private static int port(List<String> lines, int n) {
        return Integer.parseInt(lines.stream().filter(l -> l.trim().startsWith("port:")).skip(n).findFirst()
                .orElseThrow().trim().substring(5).trim());
    }

    private static String body(int bytes) {
        return "Subject: full\r\n\r\n" + ("y".repeat(998) + "\r\n").repeat(bytes / 1000);
    }

    private static String send(SmtpClient c, int bytes) throws IOException {
        assertThat(c.command("MAIL FROM:<sender@client.test>")).startsWith("250");
        assertThat(c.command("RCPT TO:<user@full.test>")).startsWith("250");
        assertThat(c.command("DATA")).startsWith("354");
        c.send(body(bytes) + ".\r\n");
        return c.reply();
    }

    /** Writes a file until the file system refuses (ENOSPC): the disk is then full. */
    private static void fill(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // expected: no space left on device
        }
    }

    /** The status code of /readyz, with the body when not 200. */
    private static String readyz(int adminPort) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? "200" : r.statusCode() + " " + r.body();
    }
}
