package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds free loopback ports for tests (config ports must be 1-65535, so port 0 cannot be configured). The kernel may
 * hand the same ephemeral port to two consecutive {@code bind(0)} calls once the first socket is closed (a CI run
 * got one port for a daemon's SMTP listener and its admin endpoint), so a port is never handed out twice in one JVM.
 */
public final class FreePorts {
    private static final Set<Integer> ISSUED = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (ISSUED.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no loopback port not already handed out in 100 attempts");
    }
}
