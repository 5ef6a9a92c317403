package io.sluice.util;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict parser and formatter for IPv4 and IPv6 address literals, with no name resolution.
 *
 * <p>Why not {@link InetAddress#getByName}: given anything that is not a valid literal (a typo such as
 * {@code 10.0.0.256}, or a host name) it silently falls back to a DNS lookup, and config validation must never
 * touch DNS. {@code InetAddress.ofLiteral} only exists from Java 22.
 *
 * <p>Accepted: dotted-quad IPv4 with decimal octets 0-255 and no leading zeros (a leading zero means octal to
 * some tools, so {@code 010.0.0.1} is refused as ambiguous); IPv6 in any RFC 4291 text form, including {@code ::}
 * compression and an embedded IPv4 tail ({@code ::ffff:10.0.0.1}). Refused: zone ids ({@code fe80::1%eth0}),
 * brackets, surrounding whitespace. Results: 4 bytes for IPv4, 16 bytes for IPv6. Stateless and thread-safe.
 *
 * <p>Failure: {@link IllegalArgumentException} whose message is {@code "<text> is not an IP address"}, sometimes
 * with the reason in parentheses.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The address bytes (4 or 16) of an IPv4 or IPv6 literal. */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            throw notAnAddress(String.valueOf(text), null);
        }
        if (text.indexOf(':') >= 0) {
            return parseIpv6(text);
        }
        byte[] v4 = new byte[4];
        if (!parseIpv4(text, v4, 0)) {
            throw notAnAddress(text, null);
        }
        return v4;
    }

    /** The literal as an {@link InetAddress}, built without any lookup. IPv4-mapped IPv6 becomes IPv4. */
    public static InetAddress toInetAddress(String text) {
        try {
            return InetAddress.getByAddress(parse(text));
        } catch (UnknownHostException e) {
            // getByAddress only throws for a wrong array length, which parse() never returns.
            throw new IllegalStateException(e);
        }
    }

    /** True when the text is a valid IPv4 or IPv6 literal. */
    public static boolean isLiteral(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The canonical text of 4 or 16 address bytes: dotted quad for IPv4, RFC 5952 for IPv6 (lower case, no
     * leading zeros, the longest run of two or more zero groups shown as {@code ::}).
     */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes, not " + address.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 4.2.2: a single zero group is never compressed
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static byte[] parseIpv6(String text) {
        if (text.indexOf('%') >= 0) {
            throw notAnAddress(text, "zone ids are not allowed");
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw notAnAddress(text, ":: may appear only once");
        }
        byte[] out = new byte[16];
        if (gap < 0) {
            if (parseGroups(text, text, out, 0, true) != 16) {
                throw notAnAddress(text, "8 groups needed without ::");
            }
            return out;
        }
        String head = text.substring(0, gap);
        String tail = text.substring(gap + 2);
        byte[] tailBytes = new byte[16];
        int headLength = head.isEmpty() ? 0 : parseGroups(head, text, out, 0, false);
        int tailLength = tail.isEmpty() ? 0 : parseGroups(tail, text, tailBytes, 0, true);
        if (headLength + tailLength > 14) {
            throw notAnAddress(text, "too many groups");
        }
        System.arraycopy(tailBytes, 0, out, 16 - tailLength, tailLength);
        return out;
    }

    /**
     * Parses colon-separated hex groups into {@code out} from {@code offset}; returns the number of bytes written.
     * An IPv4 tail is allowed only as the last group when {@code ipv4TailAllowed}. Problems name {@code whole}.
     */
    private static int parseGroups(String groupsText, String whole, byte[] out, int offset, boolean ipv4TailAllowed) {
        String[] groups = groupsText.split(":", -1);
        int at = offset;
        for (int g = 0; g < groups.length; g++) {
            String group = groups[g];
            boolean last = g == groups.length - 1;
            if (group.indexOf('.') >= 0) {
                if (!last || !ipv4TailAllowed || at + 4 > 16 || !parseIpv4(group, out, at)) {
                    throw notAnAddress(whole, null);
                }
                at += 4;
                continue;
            }
            if (group.isEmpty() || group.length() > 4 || at + 2 > 16) {
                throw notAnAddress(whole, null);
            }
            int value = 0;
            for (int i = 0; i < group.length(); i++) {
                int digit = hexDigit(group.charAt(i));
                if (digit < 0) {
                    throw notAnAddress(whole, null);
                }
                value = (value << 4) | digit;
            }
            out[at++] = (byte) (value >>> 8);
            out[at++] = (byte) value;
        }
        return at - offset;
    }

    private static boolean parseIpv4(String text, byte[] out, int offset) {
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part > 3) {
                    return false;
                }
                out[offset + part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return false; // leading zero: octal to inet_aton, decimal to us; refuse the ambiguity
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return part == 4;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static IllegalArgumentException notAnAddress(String text, String reason) {
        return new IllegalArgumentException(
                text + " is not an IP address" + (reason == null ? "" : " (" + reason + ")"));
    }
}
