package io.sluice.dns;

import io.sluice.util.Durations;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in words why a DNS query got no answer, for deferral reasons in events, DSNs and the log: a reader sees
 * {@code DNS resolver 127.0.0.1:53 unreachable (nothing listens on that port)}, never a Java exception name.
 *
 * <p>Walks the cause chain: port unreachable (ICMP: nothing listens there), no route, timeout (our deadline or
 * dnsjava's), an error answer dnsjava has no exception type for (REFUSED, NOTIMP, FORMERR: named; SERVFAIL is the
 * caller's), else a
 * network error with the innermost message when it is words, else just "network error". Stateless.
 */
final class ResolverFailureText {
    /** dnsjava's text for an answer with an rcode it has no exception type for (REFUSED, NOTIMP, ...). */
    private static final Pattern RCODE = Pattern.compile("non-success error code (\\w+)");

    private ResolverFailureText() {
    }

    static String describe(Throwable failure, List<String> servers, Duration deadline) {
        String who = (servers.size() == 1 ? "DNS resolver " : "DNS resolvers ") + String.join(", ", servers);
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PortUnreachableException) {
                return who + " unreachable (nothing listens on that port)";
            }
            if (t instanceof NoRouteToHostException) {
                return who + " unreachable (no route to host)";
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return "DNS timeout after " + Durations.format(deadline) + " (no answer from " + who + ")";
            }
            Matcher rcode = t.getMessage() == null ? null : RCODE.matcher(t.getMessage());
            if (rcode != null && rcode.find()) {
                String name = rcode.group(1);
                return who + " answered " + name + ("REFUSED".equals(name)
                        ? " (it does not resolve for this host: check its access rules or dns.resolvers)" : "");
            }
            if (t.getMessage() != null && !t.getMessage().isBlank() && !t.getMessage().contains("Exception")) {
                message = t.getMessage();
            }
        }
        return who + ": network error" + (message == null ? "" : " (" + message + ")");
    }

    /** {@code ip:port}, IPv6 in brackets. */
    static String display(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
