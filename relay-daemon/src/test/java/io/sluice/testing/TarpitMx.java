package io.sluice.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tarpitting MX hosts: one listening socket on each of several loopback addresses, all on one port, that accept
 * every connection and never say a word (no greeting), holding it until closed. What a relay meets at a
 * destination that slows senders down, and the worst case for its connection slots: each try waits for the whole
 * greeting timeout.
 *
 * <p>Threading: one daemon thread runs a selector over every listener; {@link #connections()} from any thread.
 * {@link #close} closes the listeners and every held connection.
 */
public final class TarpitMx implements AutoCloseable {
    private final Selector selector;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<SocketChannel> held = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;

    private TarpitMx(List<String> addresses, int port) throws IOException {
        selector = Selector.open();
        for (String address : addresses) {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 1000);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            listeners.add(server);
        }
        thread = new Thread(this::serve, "tarpit-mx");
        thread.setDaemon(true);
        thread.start();
    }

    /** Listens on each of {@code addresses} (loopback literals) at {@code port}. */
    public static TarpitMx start(List<String> addresses, int port) throws IOException {
        return new TarpitMx(addresses, port);
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void serve() {
        try {
            while (!closed) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel c = ((ServerSocketChannel) key.channel()).accept();
                    if (c != null) {
                        connections.incrementAndGet();
                        synchronized (held) {
                            held.add(c); // never read, never written: the peer waits for a greeting
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closed = true;
        thread.join(2000);
        selector.close();
        for (ServerSocketChannel s : listeners) {
            s.close();
        }
        synchronized (held) {
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }
}
