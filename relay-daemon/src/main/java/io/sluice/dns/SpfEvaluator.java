package io.sluice.dns;

import io.sluice.util.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Evaluates a domain's SPF policy (RFC 7208) for one sending address, for {@code sluice dns check}: the mechanisms
 * {@code all}, {@code include}, {@code a}, {@code mx} (with {@code /ip4-cidr} and {@code //ip6-cidr}),
 * {@code ip4}, {@code ip6}, {@code exists} and the {@code redirect} modifier, with qualifiers; {@code ptr} never
 * matches (RFC 7208 5.5: do not use). The whole record is checked first (4.6: an unknown mechanism, a bad term, two
 * {@code redirect}s are a {@code permerror} whatever matches), then the terms in order. At most {@value #MAX_LOOKUPS}
 * terms that need DNS (4.6.4) and {@value #MAX_MX} MX names per {@code mx} (4.6.4), else {@code permerror}; a DNS
 * failure is a {@code temperror}. Macros ({@code %{...}}) in mechanisms and {@code redirect} are not expanded: a
 * {@code permerror} of this check, said so ({@code exp=} is never evaluated). Not thread-safe (counts per evaluation).
 */
final class SpfEvaluator {
    static final int MAX_LOOKUPS = 10;
    static final int MAX_MX = 10;
    private static final List<String> MECHANISMS = List.of("all", "include", "a", "mx", "ptr", "ip4", "ip6",
            "exists");

    /** The result (RFC 7208 2.6) and a word on how it came. */
    record Result(String result, String detail) {
    }

    /** One mechanism term: qualifier, name, domain-spec or address (null when none), prefix lengths (-1: none). */
    private record Term(String text, char qualifier, String name, String target, int cidr4, int cidr6) {
    }

    private final DnsQuery dns;
    private int lookups;

    SpfEvaluator(DnsQuery dns) {
        this.dns = dns;
    }

    /** The SPF records (TXT strings joined) of {@code domain}, or null when DNS did not answer. */
    static List<String> records(DnsQuery dns, String domain) {
        DnsAnswer answer = dns.ask(domain, Type.TXT);
        if (answer.kind() == DnsAnswer.Kind.FAILED) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Record r : answer.records()) {
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
        if (records == null) {
            return new Result("temperror", "DNS did not answer for the TXT records of " + domain);
        }
        if (records.isEmpty()) {
            return new Result("none", "no SPF record at " + domain);
        }
        if (records.size() > 1) {
            return new Result("permerror", records.size() + " SPF records at " + domain);
        }
        List<Term> terms = new ArrayList<>();
        String redirect = null;
        String[] words = records.get(0).trim().split("\\s+");
        for (int i = 1; i < words.length; i++) {
            String word = words[i].toLowerCase(Locale.ROOT);
            int eq = word.indexOf('=');
            int colon = word.indexOf(':');
            if (eq > 0 && (colon < 0 || eq < colon)) { // a modifier
                String name = word.substring(0, eq);
                if (name.equals("redirect")) {
                    if (redirect != null) {
                        return new Result("permerror", "two redirect modifiers at " + domain);
                    }
                    redirect = word.substring(eq + 1);
                    if (redirect.contains("%")) {
                        return new Result("permerror", "macros are not evaluated by this check: " + words[i]);
                    }
                }
                continue; // exp= and unknown modifiers are ignored (6)
            }
            Term t = parse(words[i]);
            if (t == null) {
                return new Result("permerror", "bad term " + words[i] + " at " + domain);
            }
            if (t.target() != null && t.target().contains("%")) {
                return new Result("permerror", "macros are not evaluated by this check: " + words[i]);
            }
            terms.add(t);
        }
        for (Term t : terms) {
            Boolean match;
            try {
                match = matches(ip, domain, t, depth);
            } catch (SpfError e) {
                return new Result(e.result, e.getMessage());
            }
            if (match) {
                return new Result(switch (t.qualifier()) {
                    case '-' -> "fail";
                    case '~' -> "softfail";
                    case '?' -> "neutral";
                    default -> "pass";
                }, "matched " + t.text() + " at " + domain);
            }
        }
        if (redirect != null) {
            if (++lookups > MAX_LOOKUPS) {
                return new Result("permerror", "more than " + MAX_LOOKUPS + " DNS lookups (RFC 7208 4.6.4)");
            }
            Result r = evaluate(ip, redirect, depth + 1);
            return r.result().equals("none") ? new Result("permerror", "redirect=" + redirect + ": " + r.detail())
                    : r;
        }
        return new Result("neutral", "nothing matched at " + domain);
    }

    /** A mechanism term, or null when it is not one (unknown name, bad address or prefix). */
    static Term parse(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        char q = w.charAt(0);
        char qualifier = q == '+' || q == '-' || q == '~' || q == '?' ? q : '+';
        String body = qualifier == q ? w.substring(1) : w;
        int end = 0;
        while (end < body.length() && body.charAt(end) != ':' && body.charAt(end) != '/') {
            end++;
        }
        String name = body.substring(0, end);
        if (!MECHANISMS.contains(name)) {
            return null;
        }
        String rest = body.substring(end);
        String target = null;
        if (rest.startsWith(":")) {
            int slash = name.equals("ip4") || name.equals("ip6") ? -1 : rest.indexOf('/');
            target = slash < 0 ? rest.substring(1) : rest.substring(1, slash);
            rest = slash < 0 ? "" : rest.substring(slash);
            if (target.isEmpty()) {
                return null;
            }
        }
        int cidr4 = -1;
        int cidr6 = -1;
        if (!rest.isEmpty()) {
            if (!name.equals("a") && !name.equals("mx")) {
                return null;
            }
            try {
                int dual = rest.indexOf("//");
                if (dual >= 0) {
                    cidr6 = Integer.parseInt(rest.substring(dual + 2));
                    rest = rest.substring(0, dual);
                }
                if (!rest.isEmpty()) {
                    cidr4 = Integer.parseInt(rest.substring(1));
                }
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                return null;
            }
            if (cidr4 > 32 || cidr6 > 128) {
                return null;
            }
        }
        if ((name.equals("ip4") || name.equals("ip6")) && target == null
                || (name.equals("include") || name.equals("exists")) && target == null
                || name.equals("all") && target != null) {
            return null;
        }
        return new Term(word, qualifier, name, target, cidr4, cidr6);
    }

    /** Whether {@code t} matches {@code ip}. */
    private boolean matches(InetAddress ip, String domain, Term t, int depth) throws SpfError {
        String target = t.target() == null ? domain : t.target();
        boolean v4 = ip.getAddress().length == 4;
        switch (t.name()) {
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
                    throw new SpfError("permerror", "bad address in " + t.text());
                }
            case "a":
                count();
                return addressesMatch(ip, target, v4 ? t.cidr4() : t.cidr6());
            case "mx": {
                count();
                List<Record> mx = found(target, Type.MX);
                if (mx.size() > MAX_MX) {
                    throw new SpfError("permerror", target + " has more than " + MAX_MX + " MX names (4.6.4)");
                }
                for (Record r : mx) {
                    if (addressesMatch(ip, ((MXRecord) r).getTarget().toString(), v4 ? t.cidr4() : t.cidr6())) {
                        return true;
                    }
                }
                return false;
            }
            case "exists":
                count();
                return !found(target, Type.A).isEmpty();
            case "ptr":
                count();
                return false;
            case "include": {
                count();
                if (depth > MAX_LOOKUPS) {
                    throw new SpfError("permerror", "include loop at " + target);
                }
                Result inner = evaluate(ip, target, depth + 1);
                switch (inner.result()) {
                    case "pass":
                        return true;
                    case "temperror":
                        throw new SpfError("temperror", "include:" + target + ": " + inner.detail());
                    case "permerror":
                    case "none":
                        throw new SpfError("permerror", "include:" + target + " gives " + inner.result() + " ("
                                + inner.detail() + ")");
                    default:
                        return false;
                }
            }
            default:
                throw new SpfError("permerror", "unknown mechanism " + t.text());
        }
    }

    /** The records of a lookup; a {@code temperror} when DNS did not answer. */
    private List<Record> found(String name, int type) throws SpfError {
        DnsAnswer a = dns.ask(name, type);
        if (a.kind() == DnsAnswer.Kind.FAILED) {
            throw new SpfError("temperror", "DNS did not answer for " + name + " (" + a.detail() + ")");
        }
        return a.kind() == DnsAnswer.Kind.FOUND ? a.records() : List.of();
    }

    private void count() throws SpfError {
        if (++lookups > MAX_LOOKUPS) {
            throw new SpfError("permerror", "more than " + MAX_LOOKUPS + " DNS lookups (RFC 7208 4.6.4)");
        }
    }

    private boolean addressesMatch(InetAddress ip, String host, int prefix) throws SpfError {
        boolean v4 = ip.getAddress().length == 4;
        for (Record r : found(host, v4 ? Type.A : Type.AAAA)) {
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

    /** The evaluation ends with this result. */
    private static final class SpfError extends Exception {
        final String result;

        SpfError(String result, String message) {
            super(message, null, false, false);
            this.result = result;
        }
    }

    /** {@code text} as an address, or null. */
    static InetAddress address(String text) {
        return IpLiteral.isLiteral(text) ? IpLiteral.toInetAddress(text) : null;
    }
}
