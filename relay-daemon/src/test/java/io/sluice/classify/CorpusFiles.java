package io.sluice.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The labelled bounce corpus at ../shared/corpus (Sisimai's messages and labels, BSD-2-Clause; read in place,
 * never copied into this repository): where it is, and its JSON-lines files.
 */
public final class CorpusFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** -Dsluice.corpus.verbose=true prints every miss and the confusion matrix (for tuning the rules). */
    static final boolean VERBOSE = Boolean.getBoolean("sluice.corpus.verbose");

    private CorpusFiles() {
    }

    /** The corpus folder, or null when it is not there (the tests that need it are then skipped). */
    public static Path folder() {
        String shared = System.getProperty("sluice.shared.dir", "../../shared");
        Path corpus = Path.of(shared, "corpus");
        return Files.isRegularFile(corpus.resolve("replies.jsonl")) ? corpus : null;
    }

    public static List<JsonNode> lines(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The Sisimai reason names of the corpus as ours: the corpus predates the renames of two of them. */
    public static String reason(String label) {
        switch (label) {
            case "toomanyconn":
                return "ratelimited";
            case "emailtoolarge":
                return "mesgtoobig";
            default:
                return label;
        }
    }
}
