package io.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a test directory, for tests of a journal whose disk runs short or full: the
 * real file system, with the real free-space figures and the real {@code ENOSPC}/{@code SIGBUS} when it is full.
 *
 * <p>Needs the right to mount (root, or CAP_SYS_ADMIN in a container that allows it). Where mounting is refused,
 * {@link #mount} aborts the test (JUnit reports it skipped) with the reason, so the suite stays green on machines
 * that cannot run it. {@link #close} unmounts lazily (a mapping the JVM has not released yet must not fail it).
 */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code sizeMiB} MiB on {@code dir} (created if missing), or aborts the test. */
    public static Tmpfs mount(Path dir, int sizeMiB) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + sizeMiB + "m", "tmpfs", dir.toString());
        Assumptions.assumeTrue(failure == null,
                () -> "skipped: this test needs a small tmpfs and mounting one is not permitted here (" + failure + ")");
        return new Tmpfs(dir);
    }

    /** Usable bytes on it now. */
    public long freeBytes() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String failure = run("umount", "-l", dir.toString());
        if (failure != null) {
            throw new IOException("unmounting the test tmpfs at " + dir + " failed: " + failure);
        }
    }

    /** Runs a command; null when it exited 0, else its exit code and output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }
}
