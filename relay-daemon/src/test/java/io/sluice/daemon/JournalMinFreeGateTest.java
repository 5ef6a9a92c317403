package io.sluice.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import io.sluice.testing.Tmpfs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 9: the {@code journal.min_free} gate refuses the message that would cross it, not the one after.
 * The journal lives on a 64 MiB tmpfs with {@code min_free: 20MiB}; a filler file leaves 3 MiB above the line. A
 * 6 MiB message must then get {@code 452 4.3.1}: at MAIL when it declares its size ({@code SIZE=}), at the final dot
 * when it does not; a small message still fits and is accepted. Before, both 6 MiB messages were accepted (the gate
 * compared free space alone), leaving the disk at 17 MiB free, below the line it was meant to hold.
 *
 * <p>Skipped where a tmpfs cannot be mounted ({@link Tmpfs}).
 */
@Timeout(120)
class JournalMinFreeGateTest {
    private static final long MIB = 1L << 20;
    private static final int BIG_BODY_BYTES = 6 << 20;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseTheMessageThatWouldTakeTheDiskBelowMinFree() throws Exception {
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("journal"), 64);
             TestDaemon daemon = TestDaemon.in(dir).smtp("max_message_size: 8MiB").journal("min_free: 20MiB")
                     .start();
             SmtpClient c = daemon.connect()) {
            c.reply();
            c.command("EHLO client.test");
            assertThat(send(c, "", 1000)).as("warm-up: the journal's files exist").startsWith("250 2.0.0");
            Thread.sleep(300);
            try (RandomAccessFile filler = new RandomAccessFile(dir.resolve("journal/filler").toFile(), "rw")) {
                long fill = tmpfs.freeBytes() - 23 * MIB;
                byte[] chunk = new byte[1 << 20];
                for (long written = 0; written < fill; written += chunk.length) {
                    filler.write(chunk, 0, (int) Math.min(chunk.length, fill - written));
                }
            }
            Thread.sleep(300); // the free-space figure is refreshed every 100 ms
            assertThat(tmpfs.freeBytes()).isBetween(22 * MIB, 24 * MIB);

            assertThat(c.command("MAIL FROM:<sender@client.test> SIZE=" + (BIG_BODY_BYTES + 4096)))
                    .as("declared size would cross min_free").startsWith("452 4.3.1");
            assertThat(send(c, "", BIG_BODY_BYTES)).as("undeclared, refused at the dot").startsWith("452 4.3.1");
            assertThat(tmpfs.freeBytes()).as("the line held").isGreaterThanOrEqualTo(20 * MIB);
            assertThat(send(c, " SIZE=2000", 1000)).as("a small message still fits").startsWith("250 2.0.0");
        }
    }

    private static String body(int bytes) {
        return "Subject: gate\r\n\r\n" + ("z".repeat(998) + "\r\n").repeat(Math.max(1, bytes / 1000));
    }

    private static String send(SmtpClient c, String mailParams, int bytes) throws IOException {
        assertThat(c.command("MAIL FROM:<sender@client.test>" + mailParams)).startsWith("250");
        assertThat(c.command("RCPT TO:<user@gate.test>")).startsWith("250");
        assertThat(c.command("DATA")).startsWith("354");
        c.send(body(bytes) + ".\r\n");
        return c.reply();
    }
}
