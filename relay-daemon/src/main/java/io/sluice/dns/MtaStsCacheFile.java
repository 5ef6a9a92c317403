package io.sluice.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTA-STS policies kept across restarts ({@code <journal.dir>/mta-sts.cache}; RFC 8461 10.2: a restart must not
 * open a downgrade window). One line per domain, tab-separated: domain, id, mode, max_age, fetched-at (epoch ms),
 * the mx patterns joined by commas. Replaced whole and atomically ({@link io.sluice.util.AtomicFile}); read at start,
 * where expired policies and bad lines (logged) are skipped. A file that cannot be written or read is logged and
 * the policies stay in memory only. Stateless.
 */
final class MtaStsCacheFile {
    static final String FILE_NAME = "mta-sts.cache";
    private static final Logger LOG = LoggerFactory.getLogger(MtaStsCacheFile.class);

    private MtaStsCacheFile() {
    }

    /** Replaces the file in {@code dir} with {@code policies}. */
    static void write(Path dir, Map<String, MtaStsPolicy> policies) {
        StringBuilder out = new StringBuilder(64 * policies.size() + 1);
        for (Map.Entry<String, MtaStsPolicy> e : policies.entrySet()) {
            MtaStsPolicy p = e.getValue();
            out.append(e.getKey()).append('\t').append(p.id()).append('\t').append(p.mode().word()).append('\t')
                    .append(p.maxAgeSeconds()).append('\t').append(p.fetchedAtMillis()).append('\t')
                    .append(String.join(",", p.mx())).append('\n');
        }
        try {
            io.sluice.util.AtomicFile.replace(dir, FILE_NAME, out.toString());
        } catch (IOException e) {
            LOG.warn("cannot write {}: {} (policies stay cached in memory)", dir.resolve(FILE_NAME), e.getMessage());
        }
    }

    /** The policies of the file in {@code dir} still valid at {@code nowMillis}; empty when there is none. */
    static Map<String, MtaStsPolicy> read(Path dir, long nowMillis) {
        Map<String, MtaStsPolicy> out = new LinkedHashMap<>();
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                try {
                    if (f.length != 6) {
                        throw new IllegalArgumentException("expected 6 tab-separated fields");
                    }
                    StringBuilder body = new StringBuilder("version: STSv1\nmode: ").append(f[2])
                            .append("\nmax_age: ").append(f[3]).append('\n');
                    for (String mx : f[5].isEmpty() ? new String[0] : f[5].split(",")) {
                        body.append("mx: ").append(mx).append('\n');
                    }
                    MtaStsPolicy p = MtaStsPolicy.parse(body.toString(), f[1], Long.parseLong(f[4]));
                    if (p.validAt(nowMillis)) {
                        out.put(f[0], p);
                    }
                } catch (IllegalArgumentException e) { // NumberFormatException included
                    LOG.warn("{}: skipped line \"{}\": {}", file, line, e.getMessage());
                }
            }
            LOG.info("MTA-STS: {} cached policies from {}", out.size(), file);
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", file, e.getMessage());
        }
        return out;
    }
}
