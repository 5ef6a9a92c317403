package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 2, the last resort: a write to the journal faults anyway (here: the mapped {@code bodies/} file is
 * cut to 0 bytes under the daemon, so the next append raises SIGBUS, as a disk that fills under a mapping without
 * a reservation does). The transaction waiting for the journal gets {@code 451 4.3.0}, and the daemon (its own JVM)
 * stops by itself with exit status 75, so that systemd's {@code Restart=on-failure} starts it again; before, the
 * writer thread died, the dot was never answered and the process ran on.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JournalFaultExitTest {
    @TempDir
    Path dir;

    @Test
    void shouldAnswer451AndExitForARestartWhenAJournalWriteFaults() throws Exception {
        Path config = TestDaemon.in(dir).writeConfig();
        int smtpPort = Integer.parseInt(Files.readAllLines(config).stream()
                .filter(l -> l.trim().startsWith("port:")).findFirst().orElseThrow().trim().substring(5).trim());
        try (DaemonProcess daemon = DaemonProcess.start(config)) {
            try (SmtpClient c = new SmtpClient("127.0.0.1", smtpPort)) {
                c.reply();
                c.command("EHLO client.test");
                assertThat(send(c)).startsWith("250 2.0.0");
                truncateCycleFiles(dir.resolve("journal").resolve("bodies"));
                c.socket().setSoTimeout(20_000);
                String reply;
                try {
                    reply = send(c);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the final dot was not answered within 20 s:\n"
                            + String.join("\n", daemon.output()));
                } catch (java.io.IOException e) {
                    reply = null; // the connection ended without a reply: the process died of the fault
                }
                if (reply != null) {
                    assertThat(reply).as("reply to the dot; daemon output:\n%s", String.join("\n", daemon.output()))
                            .startsWith("451 4.3.0");
                }
                int exit = daemon.awaitExit(30);
                if (reply != null) {
                    assertThat(exit).as("exit status; output:\n%s", String.join("\n", daemon.output()))
                            .isEqualTo(Daemon.EXIT_JOURNAL_FAILED);
                    assertThat(daemon.output()).anyMatch(l -> l.contains("journal writer failed"));
                } else {
                    // A SIGBUS inside the VM's own code (an Unsafe CAS on the mapped page) is fatal to the JVM before
                    // Java can turn it into an error: no 250, no hang, a non-zero exit that systemd restarts.
                    assertThat(exit).as("exit status; output:\n%s", String.join("\n", daemon.output()))
                            .isNotZero();
                    assertThat(daemon.output()).anyMatch(l -> l.contains("SIGBUS"));
                }
            }
        }
    }

    private static String send(SmtpClient c) throws java.io.IOException {
        assertThat(c.command("MAIL FROM:<sender@client.test>")).startsWith("250");
        assertThat(c.command("RCPT TO:<user@fault.test>")).startsWith("250");
        assertThat(c.command("DATA")).startsWith("354");
        c.send("Subject: fault\r\n\r\n" + "z".repeat(70_000).replaceAll("(.{998})", "$1\r\n") + "\r\n.\r\n");
        return c.reply();
    }

    /** Cuts every cycle file of a queue to 0 bytes: its mapped pages now lie past the end of the file. */
    private static void truncateCycleFiles(Path queueDir) throws java.io.IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(queueDir)) {
            files = s.filter(p -> p.toString().endsWith(".cq4")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
        }
    }
}
