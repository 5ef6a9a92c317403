package io.sluice.config;

import io.sluice.util.IpLiteral;
import java.net.InetSocketAddress;

/**
 * Strict parser for {@code address:port} written with an IP literal: {@code 127.0.0.1:53} or {@code [::1]:53}.
 *
 * <p>Why here and strict: config values such as {@code dns.resolvers} are validated when the file is loaded and
 * used later by other packages; both must read them the same way, and neither may resolve a host name (resolving
 * a DNS resolver's own name through DNS is circular, and validation never touches DNS). IPv6 needs the brackets
 * because its colons would otherwise swallow the port. The port is required and 1-65535. Stateless.
 *
 * <p>Failure: {@link IllegalArgumentException} whose message starts with the text and says what is wrong.
 */
public final class SocketAddressLiteral {

    private static final String FORM = "write an IP literal and a port, e.g. 127.0.0.1:53 or [::1]:53";

    private SocketAddressLiteral() {
    }

    /** The address and port, built without any lookup. */
    public static InetSocketAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw problem(String.valueOf(text), null);
        }
        String address;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw problem(text, null);
            }
            address = text.substring(1, close);
            port = text.substring(close + 2);
            if (address.indexOf(':') < 0) {
                throw problem(text, "brackets are only for IPv6");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw problem(text, "the port is missing");
            }
            address = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (address.indexOf(':') >= 0) {
                throw problem(text, "put an IPv6 address in brackets");
            }
        }
        if (!IpLiteral.isLiteral(address)) {
            throw problem(text, address.isEmpty() ? "the address is missing" : address + " is not an IP address");
        }
        return new InetSocketAddress(IpLiteral.toInetAddress(address), port(text, port));
    }

    private static int port(String text, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw problem(text, (port.isEmpty() ? "the port is missing" : port + " is not a port") + " (1-65535)");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw problem(text, port + " is not a port (1-65535)");
        }
        return value;
    }

    private static IllegalArgumentException problem(String text, String reason) {
        return new IllegalArgumentException((text.isEmpty() ? "\"\"" : text) + " is not an address:port ("
                + (reason == null ? "" : reason + "; ") + FORM + ")");
    }
}
