package io.sluice.smtp.server.auth;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The unit AUTH limits count by: an IPv4 address, or the /64 prefix of an IPv6 address (one host usually owns a
 * whole /64, so counting single IPv6 addresses would let it rotate through 2^64 of them). {@code v6} keeps the two
 * spaces apart. Shared by {@link FailureThrottle} and {@link FairShareQueue} so both see the same client.
 * Immutable; a value (equals and hashCode by content).
 */
record ClientKey(long bits, boolean v6) {

    static ClientKey of(InetAddress address) {
        Objects.requireNonNull(address, "client");
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return new ClientKey(((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8)
                    | (b[3] & 0xFFL), false);
        }
        long prefix = 0;
        for (int i = 0; i < 8; i++) {
            prefix = (prefix << 8) | (b[i] & 0xFFL);
        }
        return new ClientKey(prefix, true);
    }
}
