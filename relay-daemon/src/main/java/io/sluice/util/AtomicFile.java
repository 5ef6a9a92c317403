package io.sluice.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a small state file atomically and durably: the text goes to a temp file beside it, which is fsynced and
 * renamed over the target, then the directory is fsynced; a crash leaves the old or the new version, never a torn
 * one. For files of a few lines replaced whole on every change (operator suspensions, shaping actions).
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Writes {@code text} (UTF-8) as {@code dir/name}. */
    public static void replace(Path dir, String name, String text) throws IOException {
        Path target = dir.resolve(name);
        Path temp = dir.resolve(name + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for fsync; the rename is still atomic
        }
    }
}
