package io.sluice.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture sink over a real loopback socket: a pipelined transaction is stored byte for byte (dot-unstuffed)
 * as 1.eml, a line names the file and the envelope, and a second sink on the same directory continues the
 * numbering instead of overwriting.
 */
class CaptureSinkTest {
    @TempDir
    Path dir;

    @Test
    void shouldStoreEachMessageAsNumberedEmlAndPrintItsEnvelope() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (CaptureSink sink = CaptureSink.start(InetAddress.getLoopbackAddress(), 0, dir, out)) {
            send(sink.port(), "Subject: one\r\n\r\n..dot line\r\nbody\r\n");
        }
        assertThat(Files.readString(dir.resolve("1.eml"), StandardCharsets.UTF_8))
                .isEqualTo("Subject: one\r\n\r\n.dot line\r\nbody\r\n");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains(dir.resolve("1.eml") + " from=<app@client.test> to=<a@dest.test>,<b@dest.test> size=");
        try (CaptureSink again = CaptureSink.start(InetAddress.getLoopbackAddress(), 0, dir, out)) {
            send(again.port(), "Subject: two\r\n\r\nx\r\n");
        }
        assertThat(dir.resolve("2.eml")).content().startsWith("Subject: two");
        assertThat(dir.resolve("1.eml")).content().startsWith("Subject: one");
    }

    private static void send(int port, String stuffedText) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream o = s.getOutputStream();
            assertThat(in.readLine()).startsWith("220");
            o.write("EHLO client.test\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
            } while (line.startsWith("250-"));
            o.write(("MAIL FROM:<app@client.test>\r\nRCPT TO:<a@dest.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 4; i++) {
                assertThat(in.readLine()).matches("(250|354).*");
            }
            o.write((stuffedText + ".\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("250");
            assertThat(in.readLine()).startsWith("221");
        }
    }
}
