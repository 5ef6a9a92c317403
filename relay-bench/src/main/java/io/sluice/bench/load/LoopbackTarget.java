package io.sluice.bench.load;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Safety gate: resolves the {@code --host} once and refuses anything that is not loopback (127.0.0.0/8 or ::1),
 * so this load tool can never be pointed at a foreign server.
 *
 * <p>Every address the name resolves to must be loopback (a name that resolves to loopback and elsewhere is
 * refused too), and the run then connects to the resolved {@link InetAddress}, never to the name again, so a later
 * DNS answer cannot redirect the load. Pure and thread-safe. Failure mode: {@link NonLoopbackTargetException}.
 */
public final class LoopbackTarget {

    private LoopbackTarget() {
    }

    /**
     * @param host a host name or address literal
     * @return the first resolved address, guaranteed loopback
     * @throws NonLoopbackTargetException when the host does not resolve, or resolves to any non-loopback address
     */
    public static InetAddress resolve(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new NonLoopbackTargetException("refusing --host " + host
                    + ": it does not resolve; sluice-bench only loads servers on loopback (127.0.0.0/8 or ::1)");
        }
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress()) {
                throw new NonLoopbackTargetException("refusing --host " + host + ": it resolves to "
                        + address.getHostAddress()
                        + ", which is not loopback; sluice-bench only loads servers on 127.0.0.0/8 or ::1");
            }
        }
        return addresses[0];
    }

    /** The target is not loopback; the message says which address and why. */
    public static final class NonLoopbackTargetException extends IllegalArgumentException {
        public NonLoopbackTargetException(String message) {
            super(message);
        }
    }
}
