package io.sluice.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * One MX host that delivery may connect to, in the order it should be tried.
 *
 * @param name       host name, lower case without a trailing dot (for an implicit MX: the domain itself)
 * @param preference MX preference (lower is tried first); 0 for an implicit MX
 * @param addresses  its usable addresses, IPv4 first, never empty; addresses refused by the delivery-safety rule
 *                   are already removed
 */
public record MxHost(String name, int preference, List<InetAddress> addresses) {

    public MxHost {
        name = SiteKey.normalise(name);
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("MX host " + name + " has no usable address");
        }
    }
}
