package io.sluice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed mid-append (Runtime.halt, like kill -9) loses no acknowledged message on reopen. */
class UncleanStopTest {
    @TempDir
    Path dir;

    @Test
    void shouldReopenAndKeepEveryAcknowledgedMessageAfterTheProcessDiesMidAppend() throws Exception {
        int acknowledged = 40;
        Process child = startChild(dir, acknowledged);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(output).isEqualTo(CrashingWriterMain.EXIT_CODE);
        assertThat(output).contains("acknowledged " + acknowledged);

        long started = System.nanoTime();
        try (Journal journal = TestJournals.open(dir)) {
            RecoveryResult recovered = Recovery.recover(journal);
            assertThat(recovered.pending().pendingMessages()).isEqualTo(acknowledged);
            TestJournals.Recorder recorder = new TestJournals.Recorder(5);
            try (JournalWriter writer = JournalWriter.start(journal, recovered, new WriterOptions())) {
                for (int i = 0; i < 5; i++) {
                    assertThat(writer.offer(TestJournals.message(journal.nextMessageId(), "after " + i), recorder))
                        .isTrue();
                }
                recorder.await();
            }
            assertThat(recorder.failed).isEmpty();
        }
        long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        try (Journal journal = TestJournals.open(dir)) {
            assertThat(Recovery.recover(journal).pending().pendingMessages()).isEqualTo(acknowledged + 5);
        }
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        JournalDump.dump(dir, new PrintStream(dump, true, StandardCharsets.UTF_8));
        assertThat(dump.toString(StandardCharsets.UTF_8).lines()).hasSize(acknowledged + 5)
            .allMatch(line -> line.contains("\"state\":\"pending\""));
        System.out.println("restart after unclean stop took " + restartMillis + " ms");
    }

    private static Process startChild(Path dir, int messages) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(CrashingWriterMain.class.getName());
        command.add(dir.toString());
        command.add(Integer.toString(messages));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
