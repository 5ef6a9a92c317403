package io.sluice.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dead MX host that still takes TCP connections: a plain {@link ServerSocket} on one loopback address and port
 * that accepts each connection, counts it, greets it with {@code 421 4.3.2} and closes it. Counting accepts is what
 * lets a test prove how often the relay knocked (a port where nothing listens cannot count refusals).
 *
 * <p>Threading: one daemon thread accepts; {@link #connections()} from any thread. {@link #close} stops accepting
 * and frees the port (SO_REUSEADDR, so a real sink can bind it right after).
 */
public final class RefusingMx implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile long lastAcceptMillis;
    private final Thread thread;

    private RefusingMx(String address, int port) throws IOException {
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), port), 200);
        thread = new Thread(this::serve, "refusing-mx-" + address);
        thread.setDaemon(true);
        thread.start();
    }

    public static RefusingMx start(String address, int port) throws IOException {
        return new RefusingMx(address, port);
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Wall-clock time of the last accepted connection; 0 before the first. */
    public long lastAcceptMillis() {
        return lastAcceptMillis;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                lastAcceptMillis = System.currentTimeMillis();
                connections.incrementAndGet();
                OutputStream out = s.getOutputStream();
                out.write("421 4.3.2 service not available\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // closed (the loop ends) or the client went away first (still counted)
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
