package io.sluice.util;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable set of IPv4/IPv6 networks in CIDR notation, e.g. {@code 127.0.0.0/8, ::1/128}.
 *
 * <p>Contract: {@link #parse} validates every entry (address literal, prefix within 0-32 or 0-128, no host bits
 * set) and throws {@link IllegalArgumentException} whose message starts with the bad entry, e.g.
 * {@code "10.1.2.3/8 is not a network (host bits set; did you mean 10.0.0.0/8?)"}. A bare address is a host
 * network ({@code 10.1.2.3} = {@code 10.1.2.3/32}). Parsing never resolves names (see {@link IpLiteral}).
 *
 * <p>Families: an IPv4-mapped IPv6 client address ({@code ::ffff:a.b.c.d}, as a dual-stack socket reports IPv4
 * clients) matches IPv4 networks, and an entry written inside {@code ::ffff:0:0/96} is stored as the IPv4 network
 * it denotes. Other IPv6 entries never match IPv4 clients: {@code ::/0} means every IPv6 client, and every client
 * needs {@code 0.0.0.0/0, ::/0}.
 *
 * <p>Lookup is a linear scan over primitive arrays (relay lists are short), is thread-safe, and allocation-free
 * for {@link Inet4Address}, for {@link #contains(byte[])} and for the primitive overloads. For an IPv6
 * {@link InetAddress} the JDK's {@code getAddress()} copies 16 bytes (no allocation-free accessor exists);
 * callers on a hot path should keep the client's address bytes and call {@link #contains(byte[])}.
 */
public final class CidrSet {

    /** The set with no networks: contains nothing. */
    public static final CidrSet EMPTY = new CidrSet(List.of(), new int[0], new int[0], new long[0]);

    private static final long MAPPED_PREFIX_LO = 0x0000_ffff_0000_0000L;

    private final List<String> specs;
    /** IPv4 networks: network address and mask, one int each, in entry order. */
    private final int[] v4Networks;
    private final int[] v4Masks;
    /** IPv6 networks, four longs per entry: network high, network low, mask high, mask low. */
    private final long[] v6;

    private CidrSet(List<String> specs, int[] v4Networks, int[] v4Masks, long[] v6) {
        this.specs = List.copyOf(specs);
        this.v4Networks = v4Networks;
        this.v4Masks = v4Masks;
        this.v6 = v6;
    }

    /** Parses networks such as {@code 127.0.0.0/8}, {@code ::1/128} or {@code 10.1.2.3}. */
    public static CidrSet parse(List<String> entries) {
        List<String> specs = new ArrayList<>(entries.size());
        int[] v4Networks = new int[entries.size()];
        int[] v4Masks = new int[entries.size()];
        long[] v6 = new long[entries.size() * 4];
        int v4Count = 0;
        int v6Count = 0;
        for (String entry : entries) {
            Network n = Network.parse(entry);
            specs.add(n.spec());
            if (n.ipv4()) {
                v4Networks[v4Count] = (int) n.low();
                v4Masks[v4Count++] = (int) n.maskLow();
            } else {
                int at = 4 * v6Count++;
                v6[at] = n.high();
                v6[at + 1] = n.low();
                v6[at + 2] = n.maskHigh();
                v6[at + 3] = n.maskLow();
            }
        }
        return new CidrSet(specs, Arrays.copyOf(v4Networks, v4Count), Arrays.copyOf(v4Masks, v4Count),
                Arrays.copyOf(v6, 4 * v6Count));
    }

    /** Parses a comma-separated list, e.g. {@code "127.0.0.0/8, ::1/128"}; blank text gives {@link #EMPTY}. */
    public static CidrSet parse(String commaSeparated) {
        List<String> entries = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                entries.add(part.strip());
            }
        }
        return entries.isEmpty() ? EMPTY : parse(entries);
    }

    /** True when the address lies in one of the networks. */
    public boolean contains(InetAddress address) {
        if (address instanceof Inet4Address) {
            // Inet4Address.hashCode() is its address as an int (unchanged since JDK 1.0; CidrSetTest guards it):
            // the only way to read an IPv4 address without getAddress()'s defensive copy.
            return containsIpv4(address.hashCode());
        }
        return contains(address.getAddress());
    }

    /** True when the 4-byte or 16-byte address lies in one of the networks; other lengths are never contained. */
    public boolean contains(byte[] address) {
        if (address.length == 4) {
            return containsIpv4(readInt(address, 0));
        }
        if (address.length != 16) {
            return false;
        }
        long high = readLong(address, 0);
        long low = readLong(address, 8);
        if (high == 0 && (low & 0xffff_ffff_0000_0000L) == MAPPED_PREFIX_LO) {
            return containsIpv4((int) low);
        }
        return containsIpv6(high, low);
    }

    /** True when the IPv4 address (big-endian int, as {@code a << 24 | b << 16 | c << 8 | d}) is contained. */
    public boolean containsIpv4(int address) {
        for (int i = 0; i < v4Networks.length; i++) {
            if ((address & v4Masks[i]) == v4Networks[i]) {
                return true;
            }
        }
        return false;
    }

    /** True when the IPv6 address given as its high and low 64 bits is contained (mapped IPv4 is not unwrapped). */
    public boolean containsIpv6(long high, long low) {
        for (int at = 0; at < v6.length; at += 4) {
            if ((high & v6[at + 2]) == v6[at] && (low & v6[at + 3]) == v6[at + 1]) {
                return true;
            }
        }
        return false;
    }

    /** True when the set has no networks. */
    public boolean isEmpty() {
        return specs.isEmpty();
    }

    /** The entries in the order given, normalised ({@code 10.1.2.3} → {@code 10.1.2.3/32}, IPv6 per RFC 5952). */
    public List<String> specs() {
        return specs;
    }

    /** Two sets are equal when their normalised entries are equal in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CidrSet other && specs.equals(other.specs);
    }

    @Override
    public int hashCode() {
        return specs.hashCode();
    }

    @Override
    public String toString() {
        return String.join(", ", specs);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static long readLong(byte[] b, int at) {
        return (readInt(b, at) & 0xffff_ffffL) << 32 | (readInt(b, at + 4) & 0xffff_ffffL);
    }

    /**
     * One parsed entry. IPv4 networks keep their address and mask in the low 32 bits of {@code low}/{@code maskLow}.
     */
    private record Network(boolean ipv4, long high, long low, long maskHigh, long maskLow, String spec) {

        static Network parse(String entry) {
            if (entry == null || entry.isBlank()) {
                throw new IllegalArgumentException("\"" + (entry == null ? "" : entry)
                        + "\" is not a network (empty entry)");
            }
            int slash = entry.indexOf('/');
            String addressText = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address;
            try {
                address = IpLiteral.parse(addressText);
            } catch (IllegalArgumentException e) {
                throw invalid(entry, e.getMessage());
            }
            int bits = address.length * 8;
            int prefix = slash < 0 ? bits : parsePrefix(entry, entry.substring(slash + 1), bits);
            long high = address.length == 16 ? readLong(address, 0) : 0;
            long low = address.length == 16 ? readLong(address, 8) : readInt(address, 0) & 0xffff_ffffL;
            if (address.length == 16 && high == 0 && (low & 0xffff_ffff_0000_0000L) == MAPPED_PREFIX_LO
                    && prefix >= 96) {
                // ::ffff:10.0.0.0/104 denotes the IPv4 network 10.0.0.0/8; store it as such.
                address = Arrays.copyOfRange(address, 12, 16);
                bits = 32;
                prefix -= 96;
                low &= 0xffff_ffffL;
            }
            long maskHigh;
            long maskLow;
            if (bits == 32) {
                maskHigh = 0;
                maskLow = prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
            } else {
                maskHigh = prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
                maskLow = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
            }
            if ((high & ~maskHigh) != 0 || (low & ~maskLow) != 0) {
                byte[] network = toBytes(high & maskHigh, low & maskLow, bits);
                throw invalid(entry, "host bits set; did you mean " + IpLiteral.format(network) + "/" + prefix + "?");
            }
            String spec = IpLiteral.format(address) + "/" + prefix;
            return new Network(bits == 32, high, low, maskHigh, maskLow, spec);
        }

        private static int parsePrefix(String entry, String text, int bits) {
            if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(text) > bits) {
                throw invalid(entry, "prefix length must be 0-" + bits);
            }
            return Integer.parseInt(text);
        }

        private static byte[] toBytes(long high, long low, int bits) {
            byte[] out = new byte[bits / 8];
            for (int i = 0; i < out.length; i++) {
                int fromEnd = out.length - 1 - i;
                long word = fromEnd >= 8 ? high : low;
                out[i] = (byte) (word >>> (8 * (fromEnd % 8)));
            }
            return out;
        }

        private static IllegalArgumentException invalid(String entry, String reason) {
            return new IllegalArgumentException(entry + " is not a network (" + reason + ")");
        }
    }
}
