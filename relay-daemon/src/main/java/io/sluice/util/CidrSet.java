package io.sluice.util;

import java.net.InetAddress;
import java.util.List;

/**
 * An immutable set of IPv4/IPv6 networks in CIDR notation, e.g. {@code 127.0.0.0/8, ::1/128}.
 *
 * <p>Contract: {@link #parse} validates every entry (address literal, prefix within 0-32 or 0-128) and throws
 * {@link IllegalArgumentException} naming the bad entry; {@link #contains} is allocation-free and thread-safe.
 * An IPv4-mapped IPv6 client address (::ffff:a.b.c.d) matches IPv4 networks.
 */
public final class CidrSet {
    // Implemented by the config work; see CidrSetTest.
    private final List<String> specs;

    private CidrSet(List<String> specs) {
        this.specs = List.copyOf(specs);
    }

    public static CidrSet parse(List<String> specs) {
        throw new IllegalStateException("CidrSet.parse is being written");
    }

    public boolean contains(InetAddress address) {
        throw new IllegalStateException("CidrSet.contains is being written");
    }

    /** The entries as given, normalised. */
    public List<String> specs() {
        return specs;
    }

    @Override
    public String toString() {
        return String.join(", ", specs);
    }
}
