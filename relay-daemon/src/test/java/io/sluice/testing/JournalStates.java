package io.sluice.testing;

import io.sluice.journal.JournalDump;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state of every message in a journal, as {@code sluice journal dump} prints it ({@link JournalDump}):
 * queue id to {@code pending}, {@code deferred}, {@code delivered}, {@code bounced}, {@code expired},
 * {@code mixed}, {@code unqueued}, ... Safe while the daemon runs (the dump opens the journal read-only).
 */
public final class JournalStates {
    private static final Pattern ATTEMPTS = Pattern.compile("\\{\"attempts\":(\\d+),");
    private static final Pattern LINE = Pattern.compile("\"id\":\"([0-9a-f]+)\".*\"state\":\"([a-z]+)\"");

    private JournalStates() {
    }

    public static Map<String, String> read(Path journalDir) throws Exception {
        Map<String, String> states = new HashMap<>();
        for (String l : dump(journalDir).lines().toList()) {
            Matcher m = LINE.matcher(l);
            if (m.find()) {
                states.put(m.group(1), m.group(2));
            }
        }
        return states;
    }

    /**
     * Failed attempts recorded so far (the {@code attempts} of each deferred recipient's last DEFERRED), summed
     * over every message: how many delivery tries of pending mail failed, as the journal knows it.
     */
    public static int deferredAttempts(Path journalDir) throws Exception {
        int sum = 0;
        Matcher m = ATTEMPTS.matcher(dump(journalDir));
        while (m.find()) {
            sum += Integer.parseInt(m.group(1));
        }
        return sum;
    }

    /** The dump's text. */
    public static String dump(Path journalDir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            JournalDump.dump(journalDir, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** How many messages are in {@code state}. */
    public static long count(Path journalDir, String state) throws Exception {
        return read(journalDir).values().stream().filter(state::equals).count();
    }
}
