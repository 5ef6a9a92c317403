package io.sluice.config;

import io.sluice.util.IpLiteral;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the {@code admin} section into {@link AdminSettings}.
 *
 * <p>The address must be a loopback literal: the admin API can flush, suspend and suppress, and its bearer token
 * is the only other guard. A token file, when named and present, must be readable and private to its owner (no group
 * or other permissions): any local user can reach loopback. A named token file that does not exist yet is not an
 * error here: the daemon creates it at start ({@code admin.AdminTokenFile}); whether it can is a start-up check. When enabled, the admin port must not
 * collide with an SMTP listener's bind.
 */
final class AdminSection {

    private AdminSection() {
    }

    static AdminSettings read(YamlMapping m, List<ListenerSettings> listeners) {
        boolean enabled = m.bool("enabled", true);
        String address = m.read("address", AdminSettings.DEFAULT_ADDRESS, raw -> {
            ListenersSection.ipLiteral(raw);
            if (!IpLiteral.toInetAddress(raw).isLoopbackAddress()) {
                throw new IllegalArgumentException(raw + " is not a loopback address (the admin endpoint must"
                        + " listen on 127.0.0.1 or ::1)");
            }
            return raw;
        });
        int port = m.integer("port", AdminSettings.DEFAULT_PORT, Limits.PORT);
        Path tokenFile = m.path("token_file", null);
        m.finish();

        if (tokenFile != null && Files.exists(tokenFile, LinkOption.NOFOLLOW_LINKS)) {
            FileChecks.requirePrivateFile(m, "token_file", tokenFile);
        }
        if (enabled && !m.failed("address") && !m.failed("port")) {
            for (ListenerSettings l : listeners) {
                if (BindAddress.collide(address, port, l.address(), l.port())) {
                    m.error(m.isPresent("port") ? "port" : "address", BindAddress.display(address, port)
                            + " collides with listener " + l.name() + " (" + BindAddress.display(l.address(),
                            l.port()) + ")");
                    break;
                }
            }
        }
        return new AdminSettings(enabled, address, port, tokenFile);
    }
}
