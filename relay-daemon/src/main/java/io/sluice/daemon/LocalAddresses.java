package io.sluice.daemon;

import io.sluice.util.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;

/**
 * Whether an outbound connection can be bound to an IP literal on this host: the address is assigned to a
 * local interface ({@link NetworkInterface}), or, failing that, a socket binds to it now (port 0, closed at once;
 * this covers addresses routed locally without being assigned, such as 127.0.0.2 within Linux's 127.0.0.0/8). A
 * wildcard address (0.0.0.0, ::) counts as local: binding it leaves the choice to the kernel. Asks the operating
 * system each time (no cache: interfaces come and go). Stateless, thread-safe.
 */
final class LocalAddresses {

    private LocalAddresses() {
    }

    /** True when {@code literal} (a valid IP literal) is a wildcard or belongs to a local interface. */
    static boolean isLocal(String literal) {
        InetAddress address = IpLiteral.toInetAddress(literal);
        if (address.isAnyLocalAddress()) {
            return true;
        }
        try {
            if (NetworkInterface.getByInetAddress(address) != null) {
                return true;
            }
        } catch (SocketException e) {
            // fall through to the bind test
        }
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
