package io.sluice.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code sources} list into {@link SourceSettings}.
 *
 * <p>Absent or null: one source {@code default} with {@code delivery.bind_address} (which may be unset: the kernel
 * chooses) and {@code delivery.ehlo_name}. An empty list is an error (pools would have nothing to bind). Per
 * source: {@code name} required, well-formed and unique; {@code address} an IP literal, never resolved (default
 * {@code delivery.bind_address}); {@code ehlo_name} a host name, not a literal (default {@code delivery.ehlo_name}).
 * Whether the address exists on this host is not checked here (a reload must not fail because an interface is down):
 * {@code check-config} warns about it.
 */
final class SourcesSection {

    private SourcesSection() {
    }

    static List<SourceSettings> read(YamlMapping doc, DeliverySettings delivery) {
        List<YamlMapping> items = doc.mappingList("sources");
        if (items == null) {
            return doc.failed("sources") ? List.of() : List.of(new SourceSettings(SourceSettings.DEFAULT_NAME,
                    delivery.bindAddress(), delivery.ehloName(), true));
        }
        if (items.isEmpty()) {
            doc.error("sources", "at least one source is needed (leave the key out for one made from delivery.*)");
            return List.of();
        }
        List<SourceSettings> sources = new ArrayList<>();
        List<ConfigName.Named> named = new ArrayList<>();
        for (YamlMapping m : items) {
            String name = ConfigName.required(m, "a unique name that pools refer to");
            String address = m.read("address", null, ListenersSection::ipLiteral);
            String ehloName = m.read("ehlo_name", delivery.ehloName(), SourcesSection::hostName);
            SourceSettings.Warmup warmup = warmup(m);
            m.finish();
            named.add(new ConfigName.Named(name, m));
            sources.add(new SourceSettings(name, address != null ? address : delivery.bindAddress(), ehloName,
                    address == null, warmup));
        }
        ConfigName.requireUnique(named);
        return sources;
    }

    /**
     * {@code warmup: {schedule, start}}: both required when given; the schedule's existence is checked against the
     * shaping rules by the loader (they are read after this file).
     */
    private static SourceSettings.Warmup warmup(YamlMapping source) {
        if (!source.isPresent("warmup")) {
            source.mapping("warmup").finish();
            return null;
        }
        YamlMapping w = source.mapping("warmup");
        String schedule = w.read("schedule", null, ConfigName::parse);
        java.time.LocalDate start = w.read("start", null, raw -> {
            try {
                java.time.LocalDate date = java.time.LocalDate.parse(raw);
                if (date.getYear() < 2000 || date.getYear() > 2999) {
                    throw new IllegalArgumentException(raw + " is not a plausible start date (years 2000-2999)");
                }
                return date;
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(raw + " is not a date (YYYY-MM-DD, the UTC day the warm-up starts)");
            }
        });
        w.finish();
        if (schedule == null && !w.failed("schedule")) {
            w.error("schedule", "required: a warmup.schedules[].name of the shaping rules");
        }
        if (start == null && !w.failed("start")) {
            w.error("start", "required: the UTC date of day 1, e.g. 2026-12-01");
        }
        return schedule == null || start == null ? null
                : new SourceSettings.Warmup(schedule, start, w.where("schedule"));
    }

    /** A host name (RFC 1123), not an address literal. */
    static String hostName(String raw) {
        if (!HostNameSyntax.isValid(raw)) {
            throw new IllegalArgumentException((raw.isEmpty() ? "\"\"" : raw)
                    + " is not a valid host name (letters, digits, '-' and '.')");
        }
        return raw;
    }
}
