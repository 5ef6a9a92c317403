package io.sluice.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The default for {@code smtp.hostname}: this machine's name, found once per process and cached.
 *
 * <p>Tries {@code InetAddress.getLocalHost().getCanonicalHostName()} (which may do one reverse lookup through
 * the system resolver), then the plain host name, then {@code localhost}, taking the first that is a valid host
 * name rather than an IP address. Only consulted when the config leaves {@code smtp.hostname} empty, so a
 * configured name never causes a lookup. Thread-safe (lazy holder).
 */
final class DefaultHostname {

    private DefaultHostname() {
    }

    /** The cached name. */
    static String get() {
        return Holder.NAME;
    }

    private static final class Holder {
        static final String NAME = find();
    }

    private static String find() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            String canonical = local.getCanonicalHostName();
            if (HostNameSyntax.isValid(canonical)) {
                return canonical;
            }
            if (HostNameSyntax.isValid(local.getHostName())) {
                return local.getHostName();
            }
        } catch (UnknownHostException | SecurityException e) {
            // The machine's own name does not resolve: fall through to the documented fallback.
        }
        return "localhost";
    }
}
