package io.sluice.config;

import io.sluice.signing.DkimAlgorithm;
import io.sluice.signing.DkimKeys;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code dkim} list of sluice.yaml into {@link DkimSettings}. Absent or null: nothing is signed. Per entry:
 * {@code domain} (a domain name) and {@code selector} (a DNS label) required; {@code key_file} required and loaded
 * now ({@link DkimKeys}: PKCS#8 PEM of the entry's algorithm, RSA at least 1024 bits), so a bad key is an error at
 * its key and a reload keeps the running keys; {@code algorithm} {@code rsa-sha256} (default) or
 * {@code ed25519-sha256}; {@code headers} and {@code oversign} lists of field names ({@code from} is always signed:
 * added when missing is an error); {@code canonicalization} {@code header/body}, each {@code simple} or
 * {@code relaxed} (default relaxed/relaxed); {@code expire_after} a duration 1h-365d; {@code active_from} a date
 * ({@code 2026-12-01}, UTC midnight) or an ISO instant; {@code fallback} a boolean, for at most one domain. Two
 * entries with the same domain, selector and algorithm are an error; two with the same domain and algorithm need
 * {@code active_from} on at least one (which signs when is then clear).
 */
final class DkimSection {
    private static final Limits EXPIRE = Limits.range(Duration.ofHours(1).toMillis(), Duration.ofDays(365).toMillis(),
            ms -> io.sluice.util.Durations.format(Duration.ofMillis(ms)));

    private DkimSection() {
    }

    static DkimSettings read(YamlMapping doc) {
        List<YamlMapping> items = doc.mappingList("dkim");
        if (items == null) {
            return DkimSettings.none();
        }
        List<DkimSettings.Key> keys = new ArrayList<>();
        List<YamlMapping> where = new ArrayList<>();
        for (YamlMapping m : items) {
            DkimSettings.Key k = readOne(m);
            if (k != null) {
                for (int i = 0; i < keys.size(); i++) {
                    DkimSettings.Key other = keys.get(i);
                    if (!other.domain().equals(k.domain()) || !other.algorithm().equals(k.algorithm())) {
                        continue;
                    }
                    String at = where.get(i).path() + " (line " + where.get(i).line() + ")";
                    if (other.selector().equals(k.selector())) {
                        m.error("selector", "domain " + k.domain() + " already has selector " + k.selector()
                                + " for " + k.algorithm() + " at " + at);
                    } else if (other.activeFrom() == null && k.activeFrom() == null) {
                        m.error("active_from", "domain " + k.domain() + " has two " + k.algorithm() + " keys (also "
                                + at + "): give active_from to say from when each signs (key rotation), or use"
                                + " another algorithm to dual-sign");
                    }
                }
                keys.add(k);
                where.add(m);
            }
        }
        long fallbackDomains = keys.stream().filter(DkimSettings.Key::fallback).map(DkimSettings.Key::domain)
                .distinct().count();
        if (fallbackDomains > 1) {
            doc.error("dkim", "fallback is set for " + fallbackDomains + " domains; at most one domain signs mail"
                    + " whose From has no key");
        }
        return new DkimSettings(keys);
    }

    private static DkimSettings.Key readOne(YamlMapping m) {
        String domain = m.read("domain", null, raw -> {
            String d = raw.startsWith(".") ? null : RoutesSection.domain(raw);
            if (d == null) {
                throw new IllegalArgumentException(raw + " is not a domain name");
            }
            return d;
        });
        String selector = m.read("selector", null, raw -> {
            if (!raw.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                    + "[A-Za-z0-9])?)*")) {
                throw new IllegalArgumentException(raw + " is not a selector (DNS labels: letters, digits, '-')");
            }
            return raw.toLowerCase(Locale.ROOT);
        });
        Path keyFile = m.path("key_file", null);
        DkimAlgorithm algorithm = m.read("algorithm", DkimAlgorithm.RSA_SHA256, raw -> {
            DkimAlgorithm a = DkimAlgorithm.byLabel(raw);
            if (a == null) {
                throw new IllegalArgumentException(raw + " is not rsa-sha256 or ed25519-sha256");
            }
            return a;
        });
        List<String> headers = names(m, "headers", DkimSettings.DEFAULT_HEADERS);
        List<String> oversign = names(m, "oversign", DkimSettings.DEFAULT_OVERSIGN);
        String[] canon = m.read("canonicalization", new String[] {"relaxed", "relaxed"}, raw -> {
            String[] parts = raw.toLowerCase(Locale.ROOT).split("/", -1);
            if (parts.length > 2 || !isCanon(parts[0]) || (parts.length == 2 && !isCanon(parts[1]))) {
                throw new IllegalArgumentException(raw + " is not header/body canonicalization, each simple or"
                        + " relaxed (e.g. relaxed/relaxed)");
            }
            return parts.length == 1 ? new String[] {parts[0], "simple"} : parts; // RFC 6376: body defaults to simple
        });
        Duration expire = m.isPresent("expire_after") ? m.duration("expire_after", null, EXPIRE) : null;
        Instant activeFrom = m.read("active_from", null, DkimSection::instant);
        boolean fallback = m.bool("fallback", false);
        m.finish();
        if (domain == null && !m.failed("domain")) {
            m.error("domain", "required: the signing domain (d=), also the From domain it signs for");
        }
        if (selector == null && !m.failed("selector")) {
            m.error("selector", "required: the selector (s=) whose TXT record at <selector>._domainkey.<domain>"
                    + " publishes the public key");
        }
        if (!headers.contains("from") && !m.failed("headers")) {
            m.error("headers", "must contain from (RFC 6376 5.4: the From field is always signed)");
        }
        PrivateKey key = null;
        if (keyFile == null) {
            if (!m.failed("key_file")) {
                m.error("key_file", "required: the PKCS#8 PEM private key (sluice dkim keygen writes one)");
            }
        } else if (!m.failed("algorithm")) {
            FileChecks.requireReadableFile(m, "key_file", keyFile);
            if (!m.failed("key_file")) {
                try {
                    key = DkimKeys.load(keyFile, algorithm);
                } catch (IllegalArgumentException | java.io.IOException e) {
                    m.error("key_file", e.getMessage());
                }
            }
        }
        if (domain == null || selector == null || key == null) {
            return null;
        }
        return new DkimSettings.Key(domain, selector, keyFile, algorithm.label(), headers, oversign, canon[0],
                canon[1], expire == null ? 0 : expire.toSeconds(), activeFrom, fallback, key);
    }

    private static boolean isCanon(String s) {
        return s.equals("simple") || s.equals("relaxed");
    }

    private static Instant instant(String raw) {
        try {
            return LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(raw);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(raw + " is not a date (2026-12-01) or an instant"
                        + " (2026-12-01T06:00:00Z)");
            }
        }
    }

    private static List<String> names(YamlMapping m, String key, List<String> defaults) {
        List<YamlMapping.Item> items = m.scalarList(key);
        if (items == null) {
            return defaults;
        }
        List<String> out = new ArrayList<>();
        for (YamlMapping.Item item : items) {
            String name = item.text().toLowerCase(Locale.ROOT);
            if (!name.matches("[!-9;-~]+")) {
                m.error(item, item.text() + " is not a header field name");
            } else if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
