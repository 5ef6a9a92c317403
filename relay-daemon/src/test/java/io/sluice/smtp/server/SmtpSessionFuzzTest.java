package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.smtp.server.auth.PasswordHash;
import io.sluice.smtp.server.auth.UsersFile;
import io.sluice.testing.StoredMessages;
import io.sluice.testing.TestDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the SMTP session state machine ({@link SmtpSession}, {@link MailTransaction}, {@link DataHandOff},
 * {@link SessionSecurity}) as a client sees it: the real daemon in-process, one real loopback connection per input,
 * command sequences decoded by {@link SessionScript} (EHLO/HELO, MAIL with parameters, RCPT, DATA with message
 * text, RSET, NOOP, VRFY, EXPN, HELP, STARTTLS, AUTH, BDAT, QUIT, raw and over-long lines, bare line endings,
 * pipelined groups) and played by {@link ScriptedSession}.
 *
 * <p>Properties: every command line gets exactly one complete, well-formed reply within 5 s, in order, and DATA
 * text none until its final dot; after 221 or 421 the server closes; the replies fit
 * {@link SessionReferenceModel}'s RFC 5321 state model (RCPT 250 only after MAIL 250 in the same transaction, DATA
 * 354 only after a RCPT 250, {@code queued as} only at a final dot, no nested MAIL 250, QUIT then 221 then close);
 * every message answered {@code queued as <id>} is in the journal, and nothing else is (checked once after the
 * daemon stops, in {@link #everyQueuedIdIsInTheJournal}).
 *
 * <p>Daemon: one per class (plain listener, AUTH PLAIN/LOGIN allowed without TLS for user {@code app}, relay for
 * loopback, 16 KiB messages, 5 recipients, 12 errors, postmaster configured), so state shared across inputs
 * (AUTH throttling, the journal) is part of what is fuzzed, and an input is not strictly independent of the ones
 * before it. {@code @BeforeAll}/{@code @AfterAll} bracket both replay and fuzzing with this Jazzer version.
 * Not reached: the TLS handshake (no TLS, STARTTLS is answered 502), back-pressure and the in-flight budget (no limit
 * is near), timeouts, shutdown. Replayed from {@code SmtpSessionFuzzTestInputs/} on every {@code mvn test}; fuzzed
 * with {@code -Pfuzz}.
 */
class SmtpSessionFuzzTest {
    static final String HOSTNAME = "mx.sluice.test";

    @TempDir
    static Path dir;

    private static TestDaemon daemon;
    private static final Set<String> QUEUED_IDS = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startDaemon() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, UsersFile.formatLine("app",
                PasswordHash.hash("s3cret-pass".toCharArray(), PasswordHash.MIN_ITERATIONS)) + "\n");
        daemon = TestDaemon.in(dir)
                .listener("tls: none\nrelay_networks: [127.0.0.0/8]\nauth:\n  enabled: true\n  users_file: " + users
                        + "\n  allow_plaintext: true")
                .smtp("max_message_size: 16KiB\nmax_inflight_data_bytes: 1MiB\nmax_recipients: 5\nmax_errors: 12\n"
                        + "postmaster_address: ops@dest.test")
                .start();
    }

    @AfterAll
    static void everyQueuedIdIsInTheJournal() throws Exception {
        if (daemon == null) {
            return;
        }
        daemon.close();
        List<String> stored = StoredMessages.read(daemon.journalDir()).stream().map(StoredMessages.Stored::id)
                .toList();
        assertThat(stored).as("messages answered queued as <id>").containsAll(QUEUED_IDS);
        assertThat(stored).as("stored messages, all answered queued").hasSameSizeAs(QUEUED_IDS);
        System.out.println("SmtpSessionFuzzTest: " + QUEUED_IDS.size()
                + " messages answered queued, all in the journal");
    }

    /**
     * Steps and arguments of {@link SessionScript}'s format, so mutations stay mostly well-formed sessions; written
     * in libFuzzer's dictionary syntax ({@code \\x0A} is the LF between steps, {@code \\\\} one backslash).
     */
    @DictionaryEntries({"\\x0AE client.test", "\\x0AH c", "\\x0AM <a@client.test>", "\\x0AM <>",
        "\\x0AR <b@dest.test>", "\\x0AR <postmaster>", "\\x0AD Subject: s\\\\r\\\\n\\\\r\\\\nbody\\\\r\\\\n",
        "\\x0AS", "\\x0AN", "\\x0AQ", "\\x0AA PLAIN ", "AGFwcABzM2NyZXQtcGFzcw==", "\\x0AA LOGIN", "\\x0A*",
        "\\x0AT", "\\x0AL", "\\x0A!", "\\x0A+", " SIZE=", " BODY=8BITMIME", " SMTPUTF8", "\\\\r\\\\n", "\\\\n",
        "\\\\r", "\\\\0", "\\\\L", "\\\\r\\\\n.\\\\r\\\\n", "\\\\r\\\\n..", "@dest.test"})
    @FuzzTest(maxDuration = "60s")
    void commandSequencesGetOneWellFormedReplyEachAndFollowTheStateModel(byte[] input) throws Exception {
        List<SessionScript.Step> steps = SessionScript.decode(input);
        // Jazzer's SSRF detector reports every connection not allowed here; this test's go to loopback only.
        try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections(
                (host, port) -> host.equals("localhost") || host.startsWith("127."))) {
            for (String id : ScriptedSession.play(daemon.smtpPort(), HOSTNAME, steps)) {
                assertThat(QUEUED_IDS.add(id)).as("queue id %s given twice", id).isTrue();
            }
        }
    }
}
