package io.sluice.scheduler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a small tab-separated state file of the scheduler's ({@link ShapingState}, {@link WarmupState}): blank lines
 * and {@code #} comments skipped, each other line split on tabs and handed to a parser, whose
 * {@link RuntimeException} fails the read with the file and line number (the daemon then refuses to start rather
 * than act on state it cannot read). Stateless.
 */
final class StateFileLines {
    private StateFileLines() {
    }

    /**
     * The parsed lines of {@code dir/fileName} in order (a parser's null drops its line), or null when there is no
     * file.
     */
    static <T> List<T> read(Path dir, String fileName, Function<String[], T> parser) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(fileName), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        List<T> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                T parsed = parser.apply(line.split("\t", -1));
                if (parsed != null) {
                    out.add(parsed);
                }
            } catch (RuntimeException e) {
                throw new IOException(dir.resolve(fileName) + ":" + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
