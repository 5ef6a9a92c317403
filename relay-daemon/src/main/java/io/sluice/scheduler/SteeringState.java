package io.sluice.scheduler;

import io.sluice.journal.MessageIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operator's suspensions and holds, as persisted across restarts: an immutable copy the scheduler hands out
 * after each {@link SteeringCommand}, written by the daemon to {@value #FILE_NAME} in the journal directory and
 * read back at start ({@link Scheduler#restoreSteering}).
 *
 * <p>Why a file and not a {@code state/} record: it is a handful of lines that change only by hand, replaced whole
 * on every change, and it must survive checkpoints and retention without the journal's replay learning a new record
 * type. Written atomically (temp file, fsync, rename, fsync of the directory), so a crash leaves the old or the new
 * version, never a torn one. Format, one entry per line, {@code #} comments:
 * <pre>
 * suspend-domain example.com 1790000000000     (the end in epoch ms; 0 = until resumed)
 * suspend-site mx1.example.net,mx2.example.net 0
 * hold-domain example.org
 * hold-id 1a2028826dc00000
 * </pre>
 * A suspension whose end has passed is dropped when read. A malformed line fails the read with the line number
 * (the daemon then refuses to start rather than deliver mail an operator suspended).
 *
 * @param suspendedDomains domain → end (epoch ms, 0 = none)
 * @param suspendedSites   site key → end
 * @param heldDomains      held domains
 * @param heldMessages     held message ids
 */
public record SteeringState(Map<String, Long> suspendedDomains, Map<String, Long> suspendedSites,
                            Set<String> heldDomains, Set<Long> heldMessages) {
    public static final String FILE_NAME = "steering.state";
    public static final SteeringState EMPTY = new SteeringState(Map.of(), Map.of(), Set.of(), Set.of());

    public SteeringState {
        suspendedDomains = Map.copyOf(suspendedDomains);
        suspendedSites = Map.copyOf(suspendedSites);
        heldDomains = Set.copyOf(heldDomains);
        heldMessages = Set.copyOf(heldMessages);
    }

    /** The file's text, sorted so that equal states give equal files. */
    public String text() {
        StringBuilder out = new StringBuilder("# sluice suspensions and holds; written by the daemon, do not edit\n");
        new TreeMap<>(suspendedDomains).forEach((d, until) -> out.append("suspend-domain ").append(d).append(' ')
                .append(until).append('\n'));
        new TreeMap<>(suspendedSites).forEach((s, until) -> out.append("suspend-site ").append(s).append(' ')
                .append(until).append('\n'));
        new TreeSet<>(heldDomains).forEach(d -> out.append("hold-domain ").append(d).append('\n'));
        new TreeSet<>(heldMessages).forEach(id -> out.append("hold-id ").append(MessageIds.format(id)).append('\n'));
        return out.toString();
    }

    /** Replaces {@code dir/}{@value #FILE_NAME} atomically and durably. */
    public void write(Path dir) throws IOException {
        io.sluice.util.AtomicFile.replace(dir, FILE_NAME, text());
    }

    /** Reads {@code dir/}{@value #FILE_NAME}; {@link #EMPTY} when there is none. Drops suspensions ended by now. */
    public static SteeringState read(Path dir, long nowMillis) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
        Map<String, Long> domains = new TreeMap<>();
        Map<String, Long> sites = new TreeMap<>();
        Set<String> heldDomains = new TreeSet<>();
        Set<Long> heldIds = new TreeSet<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            try {
                switch (f[0]) {
                    case "suspend-domain", "suspend-site" -> {
                        long until = f.length == 3 ? Long.parseLong(f[2]) : -1;
                        if (until < 0) {
                            throw new IllegalArgumentException("expected: " + f[0] + " NAME END_MILLIS");
                        }
                        if (until == 0 || until > nowMillis) {
                            (f[0].equals("suspend-domain") ? domains : sites).put(f[1], until);
                        }
                    }
                    case "hold-domain" -> heldDomains.add(single(f));
                    case "hold-id" -> heldIds.add(MessageIds.parse(single(f)));
                    default -> throw new IllegalArgumentException("unknown entry " + f[0]);
                }
            } catch (RuntimeException e) {
                throw new IOException(dir.resolve(FILE_NAME) + ":" + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        return new SteeringState(domains, sites, heldDomains, heldIds);
    }

    private static String single(String[] f) {
        if (f.length != 2) {
            throw new IllegalArgumentException("expected: " + f[0] + " NAME");
        }
        return f[1];
    }
}
