package io.sluice.config;

import io.sluice.config.SmarthostSettings.Auth;
import io.sluice.config.SmarthostSettings.Circuit;
import io.sluice.config.SmarthostSettings.Tls;
import io.sluice.util.Durations;
import io.sluice.util.IpLiteral;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code smarthosts} list into {@link SmarthostSettings}.
 *
 * <p>Absent, null or empty: none. Per smarthost: {@code name} required, well-formed and unique; {@code host}
 * required, an IP literal or a host name (not resolved here); {@code port} 1-65535 (default 25); {@code tls} none |
 * opportunistic | required (default opportunistic); {@code auth} optional, with {@code username} and
 * {@code password_file} both required and the file readable now; AUTH with {@code tls: none} is an error, since the
 * password would cross the network in clear. {@code circuit.open_after} 1-1000 (default 3),
 * {@code circuit.cooldown} 1s-1d (default 30s).
 */
final class SmarthostsSection {

    private static final Limits OPEN_AFTER = Limits.range(1, 1000, Long::toString);
    private static final Limits COOLDOWN = Limits.range(1000, Duration.ofDays(1).toMillis(),
            ms -> Durations.format(Duration.ofMillis(ms)));

    private SmarthostsSection() {
    }

    static List<SmarthostSettings> read(YamlMapping doc) {
        List<YamlMapping> items = doc.mappingList("smarthosts");
        if (items == null) {
            return List.of();
        }
        List<SmarthostSettings> smarthosts = new ArrayList<>();
        List<ConfigName.Named> named = new ArrayList<>();
        for (YamlMapping m : items) {
            String name = ConfigName.required(m, "a unique name that routes refer to");
            String host = m.read("host", null, SmarthostsSection::host);
            if (host == null && !m.failed("host")) {
                m.error("host", "required (an IP literal or a host name)");
            }
            int port = m.integer("port", SmarthostSettings.DEFAULT_PORT, Limits.PORT);
            Tls tls = m.choice("tls", Tls.class, Tls.OPPORTUNISTIC);
            Auth auth = auth(m, tls);
            Circuit circuit = circuit(m.mapping("circuit"));
            m.finish();
            if (tls == Tls.VERIFY && host != null && io.sluice.util.IpLiteral.isLiteral(host)) {
                m.error("tls", "verify checks the certificate names the host, and " + host + " is an address: give"
                        + " host as the name its certificate carries");
            }
            named.add(new ConfigName.Named(name, m));
            smarthosts.add(new SmarthostSettings(name, host, port, tls, auth, circuit));
        }
        ConfigName.requireUnique(named);
        return smarthosts;
    }

    private static Auth auth(YamlMapping smarthost, Tls tls) {
        if (!smarthost.isPresent("auth")) {
            smarthost.mapping("auth").finish();
            return null;
        }
        YamlMapping m = smarthost.mapping("auth");
        String username = m.string("username", null);
        Path passwordFile = m.path("password_file", null);
        m.finish();
        if (username == null && !m.failed("username")) {
            m.error("username", "required (the AUTH identity)");
        }
        if (passwordFile == null && !m.failed("password_file")) {
            m.error("password_file", "required (a file holding the password)");
        } else if (passwordFile != null) {
            FileChecks.requireReadableFile(m, "password_file", passwordFile);
        }
        if (tls == Tls.NONE && !smarthost.failed("tls")) {
            smarthost.error("tls", "none with auth would send the password in clear: set tls to required (or"
                    + " opportunistic)");
        }
        return new Auth(username, passwordFile);
    }

    private static Circuit circuit(YamlMapping m) {
        int openAfter = m.integer("open_after", Circuit.DEFAULT.openAfter(), OPEN_AFTER);
        Duration cooldown = m.duration("cooldown", Circuit.DEFAULT.cooldown(), COOLDOWN);
        m.finish();
        return new Circuit(openAfter, cooldown);
    }

    /** An IP literal or a host name. */
    private static String host(String raw) {
        if (IpLiteral.isLiteral(raw) || HostNameSyntax.isValid(raw)) {
            return raw;
        }
        throw new IllegalArgumentException((raw.isEmpty() ? "\"\"" : raw)
                + " is neither an IP address nor a host name");
    }
}
