package io.sluice.config;

import io.sluice.config.ListenerSettings.SuppressedMode;
import io.sluice.config.ListenerSettings.TlsMode;
import io.sluice.util.CidrSet;
import io.sluice.util.IpLiteral;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the {@code listeners} list into {@link ListenerSettings}.
 *
 * <p>Absent or null: one listener named {@code default} on 127.0.0.1:2525, plain text, relaying for loopback
 * clients, AUTH off. An empty list is an error (the daemon would accept nothing). Per listener: {@code name} is
 * required and names are unique; the address is an IP literal (never resolved); when tls is not none the
 * certificate and key are required and readable now; each {@code relay_networks} entry is checked on its own so
 * the problem names its index. Across listeners, binds that would collide (same address and port, or a wildcard
 * covering another) are reported at the later listener.
 */
final class ListenersSection {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** A listener as read, with its mapping for reporting cross-listener problems. */
    private record Read(ListenerSettings settings, YamlMapping mapping) {
    }

    private ListenersSection() {
    }

    /** The listener used when the file has no {@code listeners} key. */
    static ListenerSettings defaultListener() {
        return new ListenerSettings("default", ListenerSettings.DEFAULT_ADDRESS, ListenerSettings.DEFAULT_PORT,
                TlsMode.NONE, null, null, CidrSet.parse(ListenerSettings.DEFAULT_RELAY_NETWORKS),
                AuthSettings.disabled());
    }

    static List<ListenerSettings> read(YamlMapping doc) {
        List<YamlMapping> items = doc.mappingList("listeners");
        if (items == null) {
            return doc.failed("listeners") ? List.of() : List.of(defaultListener());
        }
        if (items.isEmpty()) {
            doc.error("listeners", "at least one listener is needed");
            return List.of();
        }
        List<Read> read = new ArrayList<>();
        for (YamlMapping m : items) {
            read.add(new Read(readOne(m), m));
        }
        checkUnique(read);
        return read.stream().map(Read::settings).toList();
    }

    private static ListenerSettings readOne(YamlMapping m) {
        String name = m.read("name", null, raw -> {
            if (!NAME.matcher(raw).matches()) {
                throw new IllegalArgumentException((raw.isEmpty() ? "\"\"" : raw)
                        + " is not a valid name (letters, digits, '.', '_', '-'; at most 64)");
            }
            return raw;
        });
        if (name == null && !m.failed("name")) {
            m.error("name", "required (a unique name for logs and metrics)");
        }
        String address = m.read("address", ListenerSettings.DEFAULT_ADDRESS, ListenersSection::ipLiteral);
        int port = m.integer("port", ListenerSettings.DEFAULT_PORT, Limits.PORT);
        TlsMode tls = m.choice("tls", TlsMode.class, TlsMode.NONE);
        Path cert = m.path("tls_cert", null);
        Path key = m.path("tls_key", null);
        CidrSet relayNetworks = relayNetworks(m);
        AuthSettings auth = AuthSection.read(m.mapping("auth"), tls);
        SuppressedMode suppressed = m.choice("suppressed", SuppressedMode.class, SuppressedMode.ACCEPT);
        ListenerSettings.Role role = m.choice("role", ListenerSettings.Role.class, ListenerSettings.Role.RELAY);
        boolean dkimRequired = m.bool("dkim_required", false);
        m.finish();

        if (tls != TlsMode.NONE) {
            String why = "required when tls is " + tls.name().toLowerCase(Locale.ROOT);
            requireFile(m, "tls_cert", cert, why);
            requireFile(m, "tls_key", key, why);
        }
        return new ListenerSettings(name, address, port, tls, cert, key, relayNetworks, auth, suppressed, role,
                dkimRequired);
    }

    private static void requireFile(YamlMapping m, String key, Path file, String why) {
        if (file != null) {
            FileChecks.requireReadableFile(m, key, file);
        } else if (!m.failed(key)) {
            m.error(key, why);
        }
    }

    private static CidrSet relayNetworks(YamlMapping m) {
        List<YamlMapping.Item> items = m.scalarList("relay_networks");
        if (items == null) {
            return CidrSet.parse(ListenerSettings.DEFAULT_RELAY_NETWORKS);
        }
        List<String> good = new ArrayList<>();
        for (YamlMapping.Item item : items) {
            try {
                CidrSet.parse(List.of(item.text()));
                good.add(item.text());
            } catch (IllegalArgumentException e) {
                m.error(item, e.getMessage());
            }
        }
        return CidrSet.parse(good);
    }

    private static void checkUnique(List<Read> listeners) {
        for (int i = 1; i < listeners.size(); i++) {
            ListenerSettings later = listeners.get(i).settings();
            YamlMapping at = listeners.get(i).mapping();
            for (int j = 0; j < i; j++) {
                ListenerSettings earlier = listeners.get(j).settings();
                String earlierRef = listeners.get(j).mapping().path() + " (line " + listeners.get(j).mapping().line()
                        + ")";
                if (later.name() != null && later.name().equals(earlier.name())) {
                    at.error("name", later.name() + " is already the name of " + earlierRef);
                }
                boolean bindsKnown = !at.failed("address") && !at.failed("port")
                        && !listeners.get(j).mapping().failed("address") && !listeners.get(j).mapping().failed("port");
                if (bindsKnown && BindAddress.collide(later.address(), later.port(), earlier.address(),
                        earlier.port())) {
                    at.error(at.isPresent("port") ? "port" : "address",
                            BindAddress.display(later.address(), later.port()) + " collides with "
                                    + BindAddress.display(earlier.address(), earlier.port()) + " of " + earlierRef);
                }
            }
        }
    }

    /** Accepts an IPv4 or IPv6 literal; host names are refused rather than resolved. */
    static String ipLiteral(String raw) {
        if (!IpLiteral.isLiteral(raw)) {
            throw new IllegalArgumentException((raw.isEmpty() ? "\"\"" : raw)
                    + " is not an IP address (write a literal such as 127.0.0.1, ::1 or 0.0.0.0)");
        }
        return raw;
    }
}
