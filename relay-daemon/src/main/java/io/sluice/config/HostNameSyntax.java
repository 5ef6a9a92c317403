package io.sluice.config;

import io.sluice.util.IpLiteral;

/**
 * Syntax of a DNS host name as used in the SMTP greeting and EHLO (RFC 1123 2.1): dot-separated labels of
 * letters, digits and hyphens, 1-63 octets each, not starting or ending with a hyphen, 253 octets in all, and not
 * an IP address. Stateless.
 */
final class HostNameSyntax {

    private HostNameSyntax() {
    }

    static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > 253 || IpLiteral.isLiteral(name)) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
