package io.sluice.util;

/**
 * The one host-name pattern rule outbound TLS and MTA-STS share: a pattern is a host name, or {@code *.rest} standing
 * for exactly one leftmost label before {@code rest} (RFC 6125 6.4.3 as certificates use it, RFC 8461 4.1 for a
 * policy's {@code mx}); {@code *.example.net} matches {@code mx1.example.net}, not {@code example.net} nor
 * {@code a.b.example.net}. Both sides must already be lower case without a trailing dot. Stateless.
 */
public final class HostPattern {

    private HostPattern() {
    }

    /** Whether {@code pattern} names {@code host}. */
    public static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && pattern.indexOf('*', 1) < 0 && host.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(host);
    }
}
