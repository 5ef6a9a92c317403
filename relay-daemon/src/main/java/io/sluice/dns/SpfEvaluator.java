package io.sluice.dns;

import io.sluice.util.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Evaluates a domain's SPF policy (RFC 7208) for one sending address, for {@code sluice dns check}: the mechanisms
 * {@code all}, {@code include}, {@code a}, {@code mx} (with {@code /cidr}), {@code ip4}, {@code ip6}, {@code exists}
 * and the {@code redirect} modifier, with qualifiers; {@code ptr} never matches (RFC 7208 5.5: do not use). At most
 * {@value #MAX_LOOKUPS} mechanisms that need DNS (4.6.4), else {@code permerror}. Macros ({@code %{...}}) are not
 * expanded: a term with one is a {@code permerror} of this check, said so. Not thread-safe (counts per evaluation).
 */
final class SpfEvaluator {
    static final int MAX_LOOKUPS = 10;

    /** The result (RFC 7208 2.6) and a word on how it came. */
    record Result(String result, String detail) {
    }

    private final DnsQuery dns;
    private int lookups;

    SpfEvaluator(DnsQuery dns) {
        this.dns = dns;
    }

    /** The SPF records (TXT strings joined) of {@code domain}. */
    static List<String> records(DnsQuery dns, String domain) {
        List<String> out = new ArrayList<>();
        for (Record r : dns.records(domain, Type.TXT)) {
            String text = String.join("", ((TXTRecord) r).getStrings());
            if (text.toLowerCase(Locale.ROOT).startsWith("v=spf1") && (text.length() == 6 || text.charAt(6) == ' ')) {
                out.add(text);
            }
        }
        return out;
    }

    /** What {@code domain}'s SPF says of mail from {@code ip}. */
    Result check(InetAddress ip, String domain) {
        lookups = 0;
        return evaluate(ip, domain, 0);
    }

    private Result evaluate(InetAddress ip, String domain, int depth) {
        List<String> records = records(dns, domain);
        if (records.isEmpty()) {
            return new Result("none", "no SPF record at " + domain);
        }
        if (records.size() > 1) {
            return new Result("permerror", records.size() + " SPF records at " + domain);
        }
        String redirect = null;
        String[] terms = records.get(0).trim().split("\\s+");
        for (int i = 1; i < terms.length; i++) {
            String term = terms[i].toLowerCase(Locale.ROOT);
            if (term.contains("%")) {
                return new Result("permerror", "macros are not evaluated by this check: " + terms[i]);
            }
            if (term.startsWith("redirect=")) {
                redirect = term.substring(9);
                continue;
            }
            if (term.contains("=")) {
                continue; // exp= and unknown modifiers
            }
            char q = term.charAt(0);
            String qualifier = q == '+' || q == '-' || q == '~' || q == '?' ? String.valueOf(q) : "+";
            String mechanism = qualifier.equals(String.valueOf(q)) ? term.substring(1) : term;
            Boolean match;
            try {
                match = matches(ip, domain, mechanism, depth);
            } catch (PermError e) {
                return new Result("permerror", e.getMessage());
            }
            if (match == null) {
                return new Result("temperror", "DNS did not answer for " + mechanism);
            }
            if (match) {
                return new Result(switch (qualifier) {
                    case "-" -> "fail";
                    case "~" -> "softfail";
                    case "?" -> "neutral";
                    default -> "pass";
                }, "matched " + terms[i] + " at " + domain);
            }
        }
        if (redirect != null) {
            if (++lookups > MAX_LOOKUPS) {
                return new Result("permerror", "more than " + MAX_LOOKUPS + " DNS lookups");
            }
            return evaluate(ip, redirect, depth + 1);
        }
        return new Result("neutral", "nothing matched at " + domain);
    }

    /** Whether {@code mechanism} matches; null when DNS failed. */
    private Boolean matches(InetAddress ip, String domain, String mechanism, int depth) throws PermError {
        String name = mechanism;
        String arg = null;
        int colon = mechanism.indexOf(':');
        if (colon >= 0) {
            name = mechanism.substring(0, colon);
            arg = mechanism.substring(colon + 1);
        }
        int prefix = -1;
        if ((name.equals("a") || name.equals("mx")) && (arg == null ? mechanism : arg).contains("/")) {
            String spec = arg == null ? mechanism : arg;
            int slash = spec.indexOf('/');
            try {
                prefix = Integer.parseInt(spec.substring(slash + 1).split("//")[0]);
            } catch (NumberFormatException e) {
                throw new PermError("bad prefix length in " + mechanism);
            }
            if (arg == null) {
                name = spec.substring(0, slash);
            } else {
                arg = arg.substring(0, arg.indexOf('/'));
            }
        }
        String target = arg == null || arg.isEmpty() ? domain : arg;
        switch (name) {
            case "all":
                return true;
            case "ip4":
            case "ip6":
                try {
                    int slash = target.indexOf('/');
                    byte[] net = IpLiteral.parse(slash < 0 ? target : target.substring(0, slash));
                    int bits = slash < 0 ? net.length * 8 : Integer.parseInt(target.substring(slash + 1));
                    return inPrefix(ip.getAddress(), net, bits);
                } catch (IllegalArgumentException e) {
                    throw new PermError("bad address in " + mechanism);
                }
            case "a":
                count();
                return addressesMatch(ip, target, prefix);
            case "mx":
                count();
                for (Record r : dns.records(target, Type.MX)) {
                    if (addressesMatch(ip, ((MXRecord) r).getTarget().toString(), prefix)) {
                        return true;
                    }
                }
                return false;
            case "exists":
                count();
                return !dns.records(target, Type.A).isEmpty();
            case "ptr":
                count();
                return false;
            case "include":
                count();
                if (depth > MAX_LOOKUPS) {
                    throw new PermError("include loop at " + target);
                }
                Result inner = evaluate(ip, target, depth + 1);
                if (inner.result().equals("permerror") || inner.result().equals("none")) {
                    throw new PermError("include:" + target + " gives " + inner.result() + " (" + inner.detail() + ")");
                }
                if (inner.result().equals("temperror")) {
                    return null;
                }
                return inner.result().equals("pass");
            default:
                throw new PermError("unknown mechanism " + mechanism);
        }
    }

    private void count() throws PermError {
        if (++lookups > MAX_LOOKUPS) {
            throw new PermError("more than " + MAX_LOOKUPS + " DNS lookups (RFC 7208 4.6.4)");
        }
    }

    private boolean addressesMatch(InetAddress ip, String host, int prefix) {
        boolean v4 = ip.getAddress().length == 4;
        for (Record r : dns.records(host, v4 ? Type.A : Type.AAAA)) {
            InetAddress a = v4 ? ((ARecord) r).getAddress() : ((AAAARecord) r).getAddress();
            if (inPrefix(ip.getAddress(), a.getAddress(), prefix >= 0 ? prefix : v4 ? 32 : 128)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code ip} lies in {@code net}/{@code bits} (host bits of {@code net} ignored, as SPF allows). */
    static boolean inPrefix(byte[] ip, byte[] net, int bits) {
        if (ip.length != net.length || bits < 0 || bits > ip.length * 8) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((ip[i / 8] & mask) != (net[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The policy cannot be evaluated as written. */
    private static final class PermError extends Exception {
        PermError(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code text} as an address, or null. */
    static InetAddress address(String text) {
        return IpLiteral.isLiteral(text) ? IpLiteral.toInetAddress(text) : null;
    }
}
