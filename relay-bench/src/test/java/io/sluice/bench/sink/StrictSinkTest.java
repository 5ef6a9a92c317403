package io.sluice.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strict sink ({@code --policy}) over real loopback sockets: a session beyond the connection cap gets the
 * provider's reply, a MAIL beyond the message rate gets Gmail's {@code 421 4.7.28}, shares of recipients fail as
 * configured, and the sink reports the most sessions it saw; a bad policy file names file, line and key.
 */
class StrictSinkTest {
    @TempDir
    Path dir;

    private SinkPolicy policy(String yaml) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, yaml);
        return SinkPolicy.read(file);
    }

    @Test
    void shouldRefuseTheSessionBeyondTheCap() throws Exception {
        SinkPolicy p = policy("connections: 2\nstyle: microsoft\n");
        try (CaptureSink sink = CaptureSink.start(InetAddress.getLoopbackAddress(), 0, dir.resolve("mail"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), p)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    held.add(open(sink.port()));
                    assertThat(reader(held.get(i)).readLine()).startsWith("220");
                }
                try (Socket third = open(sink.port())) {
                    assertThat(reader(third).readLine()).isEqualTo("421 4.3.2 The maximum number of concurrent"
                            + " server connections has exceeded a limit, closing transmission channel");
                }
                assertThat(sink.mostConnections()).isEqualTo(2);
                assertThat(sink.refusedConnections()).isEqualTo(1);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void shouldAnswerLikeGmailOverTheRateAndFailSharesOfRecipients() throws Exception {
        SinkPolicy p = policy("message_rate: 2/min\ntempfail: 0.3\npermfail: 0.3\nseed: 5\n");
        try (CaptureSink sink = CaptureSink.start(InetAddress.getLoopbackAddress(), 0, dir.resolve("mail"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), p);
             Socket s = open(sink.port())) {
            BufferedReader in = reader(s);
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("220");
            out.write("EHLO client.test\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
            } while (line.startsWith("250-"));
            List<String> mailReplies = new ArrayList<>();
            int rcpts = 0;
            for (int m = 0; m < 4; m++) {
                out.write("MAIL FROM:<app@client.test>\r\n".getBytes(StandardCharsets.US_ASCII));
                String reply = in.readLine();
                mailReplies.add(reply);
                if (reply.startsWith("250")) {
                    for (int r = 0; r < 10; r++) {
                        out.write(("RCPT TO:<r" + r + "@dest.test>\r\n").getBytes(StandardCharsets.US_ASCII));
                        in.readLine();
                        rcpts++;
                    }
                    out.write("RSET\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(in.readLine()).startsWith("250");
                }
            }
            assertThat(mailReplies.subList(0, 2)).allMatch(r -> r.startsWith("250"));
            assertThat(mailReplies.subList(2, 4)).allMatch(r -> r.startsWith("421 4.7.28 Our system has detected"
                    + " an unusual rate of unsolicited mail"));
            assertThat(sink.rateLimited()).isEqualTo(2);
            assertThat(rcpts).isEqualTo(20);
            assertThat(sink.tempfailed() + sink.permfailed()).as("about 60 % of 20").isBetween(6L, 18L);
            assertThat(sink.tempfailed()).isPositive();
            assertThat(sink.permfailed()).isPositive();
        }
    }

    @Test
    void shouldNameFileLineAndKeyOfABadPolicy() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "connections: -1\nmessage_rate: 5/day\nstyle: aol\ntempfail: 2\nspeed: 3\n");
        assertThatThrownBy(() -> SinkPolicy.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ":1: connections: must be 0 or more\n"
                        + file + ":2: message_rate: 5/day is not a rate (write N/s, N/m or N/h, e.g. 200/s)\n"
                        + file + ":3: style: one of gmail, yahoo, microsoft\n"
                        + file + ":4: tempfail: a share between 0 and 1\n"
                        + file + ":5: speed: unknown key (known: [connections, message_rate, tempfail, permfail,"
                        + " style, seed])");
    }

    private static Socket open(int port) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5000);
        return s;
    }

    private static BufferedReader reader(Socket s) throws Exception {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }
}
