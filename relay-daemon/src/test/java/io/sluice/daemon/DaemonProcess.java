package io.sluice.daemon;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The daemon as a separate JVM ({@code sluice run --config FILE}), started with this JVM's classpath and module
 * flags, for crash (SIGKILL) and signal (SIGTERM) tests. Its output is collected for assertions.
 */
final class DaemonProcess implements AutoCloseable {
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private DaemonProcess(Process process) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                }
            } catch (Exception ignored) {
                // the process died; what was read is kept
            }
        }, "daemon-output");
        reader.setDaemon(true);
        reader.start();
    }

    static DaemonProcess start(Path config) throws Exception {
        DaemonProcess daemon = launch(config);
        daemon.awaitLine("sluice ready", 60);
        return daemon;
    }

    /** Starts the process without waiting for it to be ready (for starts that are meant to fail). */
    static DaemonProcess launch(Path config) throws Exception {
        return launchIn(null, "run", "--config", config.toString());
    }

    /**
     * Runs {@code sluice ARGS...} as a separate JVM in {@code workingDir} (null: this process's), without waiting;
     * for a daemon started as a user in a checkout types it, and for CLI commands run the same way.
     */
    static DaemonProcess launchIn(Path workingDir, String... args) throws Exception {
        List<String> command = javaCommand();
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        builder.environment().remove("SLUICE_CONFIG");
        return new DaemonProcess(builder.start());
    }

    private static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc")
                    || arg.startsWith("-Dchronicle")) {
                command.add(arg);
            }
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.sluice.cli.SluiceCli");
        return command;
    }

    /** The process id (what the journal lock names). */
    long pid() {
        return process.pid();
    }

    /** Waits for the process to exit by itself; returns its exit code, or fails with its output after the time. */
    int awaitExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("daemon still running after " + seconds + " s:\n" + String.join("\n", output));
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** Waits for a line containing {@code text}; fails with the output so far if the process dies or time runs out. */
    String awaitLine(String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (String line : output) {
                if (line.contains(text)) {
                    return line;
                }
            }
            if (!process.isAlive() && System.nanoTime() > deadline - TimeUnit.SECONDS.toNanos(seconds - 1)) {
                Thread.sleep(200);
                for (String line : output) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
                throw new AssertionError("daemon exited (" + process.exitValue() + ") before '" + text + "':\n"
                        + String.join("\n", output));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' within " + seconds + " s:\n" + String.join("\n", output));
    }

    /** SIGKILL: the crash case. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a signal by name ({@code HUP}) with the real kill(1), as systemd or an operator would. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** SIGTERM; returns the exit code. */
    int terminate() throws InterruptedException {
        // ProcessHandle.destroy sends SIGTERM without closing our end of the child's stdout (Process.destroy would).
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon did not stop on SIGTERM:\n" + String.join("\n", output));
        }
        reader.join(5000);
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> output() {
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
