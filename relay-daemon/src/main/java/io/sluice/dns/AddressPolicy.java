package io.sluice.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;

/**
 * The delivery-safety rule (docs/architecture.md "Delivery safety"): which addresses found in MX or A/AAAA answers
 * delivery may connect to.
 *
 * <p>Why: whoever controls a recipient domain's DNS controls where we connect. Without this rule an attacker's MX
 * pointing at 127.0.0.1, 10.0.0.5 or our own public address makes the relay talk to internal services or loop mail
 * back to itself. Refused unless {@code delivery.allow_private_mx}: loopback (127/8, ::1), private (10/8,
 * 172.16/12, 192.168/16, fc00::/7 unique local, fec0::/10 old site-local), shared CGNAT space 100.64/10, link-local
 * (169.254/16, fe80::/10), the unspecified "this network" 0/8 and ::, multicast, 240/4 (reserved and broadcast),
 * and every address of this machine's interfaces. IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) is judged as the IPv4
 * address it carries.
 *
 * <p>The own-address set is a snapshot taken when the policy is built (interfaces added later are not seen until
 * the resolver is rebuilt, e.g. on reload). Immutable and thread-safe.
 */
final class AddressPolicy {

    private final boolean allowPrivate;
    private final Set<InetAddress> own;

    AddressPolicy(boolean allowPrivate, Set<InetAddress> ownAddresses) {
        this.allowPrivate = allowPrivate;
        Set<InetAddress> plain = new HashSet<>();
        for (InetAddress a : ownAddresses) {
            plain.add(plain(a));
        }
        this.own = Set.copyOf(plain);
    }

    /** True when delivery may connect to this address. */
    boolean permits(InetAddress address) {
        if (allowPrivate) {
            return true;
        }
        InetAddress a = plain(address);
        return !isSpecialPurpose(a) && !own.contains(a);
    }

    /**
     * True for loopback, private, shared, link-local, unspecified, multicast and reserved addresses (see the class
     * comment). Addresses in documentation ranges (192.0.2/24, 2001:db8::/32) are not refused: they are never
     * routed, so a connection simply fails, and tests use them as stand-ins for public hosts.
     */
    static boolean isSpecialPurpose(InetAddress address) {
        InetAddress a = plain(address);
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0                                   // "this network", 0/8
                    || (first == 100 && (second & 0xc0) == 64)  // shared address space (CGNAT), 100.64/10
                    || first >= 240;                            // reserved 240/4 and broadcast
        }
        return (b[0] & 0xfe) == 0xfc;                           // unique local, fc00::/7
    }

    /** This machine's interface addresses now (loopback included); empty when the OS will not list them. */
    static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                Enumeration<InetAddress> addresses = interfaces.nextElement().getInetAddresses();
                while (addresses.hasMoreElements()) {
                    out.add(plain(addresses.nextElement()));
                }
            }
        } catch (SocketException e) {
            // Without the list only the fixed ranges protect us; loopback and private ranges still hold.
        }
        return out;
    }

    /**
     * The address without host name or IPv6 scope, and IPv4-mapped IPv6 as IPv4, so that equality and range
     * checks see only the bits.
     */
    static InetAddress plain(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && isMapped(b)) {
            b = new byte[] {b[12], b[13], b[14], b[15]};
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which getAddress() never returns
        }
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
