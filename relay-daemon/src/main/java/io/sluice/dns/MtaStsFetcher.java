package io.sluice.dns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Fetches one MTA-STS policy body over HTTPS (RFC 8461 3.3): {@code GET /.well-known/mta-sts.txt} from
 * {@code mta-sts.<domain>} at the addresses DNS gave (dnsjava's, never the system resolver), with SNI and the
 * certificate checked like a browser would (chain against the trust anchors, the host name by
 * {@code HTTPS} endpoint identification). The request is HTTP/1.0 with {@code Connection: close}, so the body ends
 * at the close (or at {@code Content-Length}); only {@code 200} counts: redirects are not followed (the RFC forbids
 * it). The whole fetch, connect to last byte, is bounded by one timeout; a body over
 * {@value MtaStsPolicy#MAX_BODY_BYTES} bytes fails. Why not {@code java.net.http.HttpClient}: it resolves host names
 * through the system resolver only, and the policy host must come from the same DNS as the MX (and its address pass
 * {@code allow_private_mx}), so the request goes over a socket opened here, with the TLS checks set explicitly.
 *
 * <p>Blocking: runs on the policy cache's own threads, never on the scheduler's or an event loop. Thread-safe
 * (no state besides the immutable TLS context). Failures are {@link IOException}s whose message says what went
 * wrong in words (they are logged and counted, never shown to recipients).
 */
final class MtaStsFetcher {
    static final String PATH = "/.well-known/mta-sts.txt";
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final SSLContext tls;
    private final int port;
    private final Duration timeout;

    MtaStsFetcher(X509TrustManager trust, int port, Duration timeout) {
        try {
            this.tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trust}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the MTA-STS client TLS context", e);
        }
        this.port = port;
        this.timeout = timeout;
    }

    /** The policy body of {@code host} ({@code mta-sts.<domain>}), tried at each address in turn. */
    String fetch(String host, List<InetAddress> addresses) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = new IOException(host + " has no address");
        for (InetAddress address : addresses) {
            try {
                return fetchFrom(host, address, deadline);
            } catch (ResponseException e) {
                throw e; // the server answered: another address of the same host would say the same
            } catch (IOException e) {
                last = new IOException("https://" + host + ":" + port + PATH + " (" + address.getHostAddress()
                        + "): " + words(e), e);
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
        }
        throw last;
    }

    private String fetchFrom(String host, InetAddress address, long deadline) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                params.setServerNames(List.of(new SNIHostName(host)));
                socket.setSSLParameters(params);
                socket.setSoTimeout(remainingMillis(deadline));
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + PATH + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: Sluice MTA-STS\r\n"
                        + "Accept: text/plain\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return response(socket, socket.getInputStream(), deadline, host);
            }
        }
    }

    /** The body of a 200 response; anything else is a {@link ResponseException}. */
    private String response(Socket socket, InputStream in, long deadline, String host) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream(1024);
        byte[] buf = new byte[4096];
        int headerEnd = -1;
        long contentLength = -1;
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            all.write(buf, 0, n);
            if (headerEnd < 0) {
                headerEnd = indexOf(all.toByteArray(), "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (headerEnd < 0 && all.size() > MAX_HEADER_BYTES) {
                    throw new ResponseException("https://" + host + PATH + " sent over " + MAX_HEADER_BYTES
                            + " bytes of headers");
                }
                if (headerEnd >= 0) {
                    contentLength = head(new String(all.toByteArray(), 0, headerEnd, StandardCharsets.ISO_8859_1),
                            host);
                }
            }
            if (headerEnd >= 0) {
                int bodyBytes = all.size() - headerEnd - 4;
                if (bodyBytes > MtaStsPolicy.MAX_BODY_BYTES) {
                    throw new ResponseException("https://" + host + PATH + " is over "
                            + MtaStsPolicy.MAX_BODY_BYTES + " bytes");
                }
                if (contentLength >= 0 && bodyBytes >= contentLength) {
                    break;
                }
            }
        }
        if (headerEnd < 0) {
            throw new ResponseException("https://" + host + PATH + " closed before the end of the headers");
        }
        byte[] bytes = all.toByteArray();
        int length = bytes.length - headerEnd - 4;
        if (contentLength >= 0) {
            if (length < contentLength) {
                throw new ResponseException("https://" + host + PATH + " closed after " + length + " of "
                        + contentLength + " bytes");
            }
            length = (int) contentLength;
        }
        return new String(bytes, headerEnd + 4, length, StandardCharsets.UTF_8);
    }

    /** Checks the status line and headers; returns Content-Length, or -1 when absent. */
    private static long head(String head, String host) throws ResponseException {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new ResponseException("https://" + host + PATH + " did not answer HTTP: \"" + clip(lines[0]) + "\"");
        }
        if (!status[1].equals("200")) {
            throw new ResponseException("https://" + host + PATH + " answered " + clip(lines[0].substring(
                    lines[0].indexOf(' ') + 1)) + (status[1].startsWith("3") ? " (redirects are not followed,"
                    + " RFC 8461 3.3)" : ""));
        }
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("transfer-encoding") && !value.equalsIgnoreCase("identity")) {
                throw new ResponseException("https://" + host + PATH + " answered an HTTP/1.0 request with"
                        + " transfer-encoding " + clip(value));
            }
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new ResponseException("https://" + host + PATH + " sent content-length " + clip(value));
                }
                if (length < 0 || length > MtaStsPolicy.MAX_BODY_BYTES) {
                    throw new ResponseException("https://" + host + PATH + " is " + length + " bytes (at most "
                            + MtaStsPolicy.MAX_BODY_BYTES + ")");
                }
            }
        }
        return length;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static String words(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof SSLException) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "TLS failed: " + (root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** The server answered, and the answer is no policy. */
    static final class ResponseException extends IOException {
        private static final long serialVersionUID = 1L;

        ResponseException(String message) {
            super(message);
        }
    }
}
