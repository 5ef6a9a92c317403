package io.sluice.dns;

import io.sluice.config.DkimSettings;
import io.sluice.config.DnsSettings;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code sluice dns check DOMAIN}: whether a sending domain's DNS is right for mail Sluice sends for it, each problem
 * in plain words with what to publish. Checks, in order: MX (replies and bounces need one); SPF (one record; each
 * source's address passes it, within 10 DNS lookups: {@link SpfEvaluator}); each configured DKIM selector of the
 * domain (its TXT record is there and its public key is the one of {@code key_file}: a probe signed with our key
 * verifies with the published one); DMARC (a record, its policy, and whether our DKIM signing aligns); and for each
 * source with an address its PTR and forward-confirmed reverse DNS against its EHLO name. Uses the config's resolvers
 * (or the system's). Offline from the daemon; blocking.
 */
public final class DomainCheck {

    /** One finding: which check, whether it is fine, and the words. */
    public record Finding(String check, boolean ok, String text) {
    }

    /** A source as the check sees it: name, address (null: the kernel chooses), EHLO name. */
    public record Source(String name, String address, String ehloName) {
    }

    private DomainCheck() {
    }

    /** Runs every check against the resolvers of {@code dns}. */
    public static List<Finding> run(DnsSettings dns, String domain, List<Source> sources,
                                    List<DkimSettings.Key> keys) {
        try (DnsLookups lookups = new DnsLookups(dns)) {
            long waitMillis = lookups.deadline().toMillis() + 1000;
            return run((name, type) -> {
                try {
                    return lookups.query(Name.fromString(name.endsWith(".") ? name : name + "."), type)
                            .get(waitMillis, TimeUnit.MILLISECONDS);
                } catch (TextParseException e) {
                    return DnsAnswer.failed(name + " is not a DNS name");
                } catch (Exception e) {
                    return DnsAnswer.failed("no answer for " + name + ": " + e);
                }
            }, domain, sources, keys);
        }
    }

    static List<Finding> run(DnsQuery dns, String domain, List<Source> sources, List<DkimSettings.Key> keys) {
        String stripped = strip(domain.strip());
        String ascii = io.sluice.util.IdnDomain.toAscii(stripped);
        String d = (ascii == null ? stripped : ascii).toLowerCase(Locale.ROOT);
        List<Finding> out = new ArrayList<>();
        mx(dns, d, out);
        spf(dns, d, sources, out);
        String signing = signingDomain(d, keys);
        List<DkimSettings.Key> own = signing == null ? List.of()
                : keys.stream().filter(k -> k.domain().equals(signing)).toList();
        dkim(dns, signing == null ? d : signing, own, out);
        dmarc(dns, d, signing, out);
        for (Source s : sources) {
            ptr(dns, s, out);
        }
        return out;
    }

    /** The domain whose keys sign mail from {@code d}: itself, else its nearest parent with keys; null when none. */
    private static String signingDomain(String d, List<DkimSettings.Key> keys) {
        for (String x = d; x != null; x = parent(x)) {
            String candidate = x;
            if (keys.stream().anyMatch(k -> k.domain().equals(candidate))) {
                return x;
            }
        }
        return null;
    }

    /** The parent of {@code d} while it keeps two labels, else null. */
    private static String parent(String d) {
        int dot = d.indexOf('.');
        return dot < 0 || d.indexOf('.', dot + 1) < 0 ? null : d.substring(dot + 1);
    }

    /** The TXT strings (joined per record) at {@code name}, or null when DNS did not answer. */
    private static List<String> txt(DnsQuery dns, String name) {
        DnsAnswer a = dns.ask(name, Type.TXT);
        if (a.kind() == DnsAnswer.Kind.FAILED) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Record r : a.records()) {
            out.add(String.join("", ((TXTRecord) r).getStrings()));
        }
        return out;
    }

    private static void mx(DnsQuery dns, String d, List<Finding> out) {
        DnsAnswer a = dns.ask(d, Type.MX);
        if (a.kind() == DnsAnswer.Kind.FAILED) {
            out.add(new Finding("mx", false, "MX of " + d + ": DNS did not answer (" + a.detail() + ")"));
            return;
        }
        List<String> hosts = new ArrayList<>();
        for (Record r : a.records()) {
            hosts.add(((MXRecord) r).getTarget().toString(true));
        }
        out.add(hosts.isEmpty()
                ? new Finding("mx", false, d + " has no MX record: replies and bounces to it cannot be delivered;"
                        + " publish one (" + d + ". IN MX 10 mx." + d + ".)")
                : new Finding("mx", true, d + " MX: " + String.join(", ", hosts)));
    }

    private static void spf(DnsQuery dns, String d, List<Source> sources, List<Finding> out) {
        List<String> records = SpfEvaluator.records(dns, d);
        if (records == null) {
            out.add(new Finding("spf", false, "SPF of " + d + ": DNS did not answer; try again"));
            return;
        }
        List<String> addresses = sources.stream().map(Source::address).filter(a -> a != null).distinct().toList();
        String suggestion = "\"v=spf1" + addresses.stream().map(a -> (a.contains(":") ? " ip6:" : " ip4:") + a)
                .reduce("", String::concat) + " -all\"";
        if (records.isEmpty()) {
            out.add(new Finding("spf", false, d + " has no SPF record; publish " + d + ". IN TXT " + suggestion));
            return;
        }
        if (records.size() > 1) {
            out.add(new Finding("spf", false, d + " has " + records.size() + " SPF records; receivers treat that as"
                    + " an error (RFC 7208 4.5): publish exactly one"));
            return;
        }
        if (addresses.isEmpty()) {
            out.add(new Finding("spf", false, "SPF of " + d + ": " + records.get(0) + "; no source has an address in"
                    + " sluice.yaml (the kernel chooses), so it cannot be checked against them: give sources[].address"));
            return;
        }
        for (Source s : sources) {
            if (s.address() == null) {
                continue;
            }
            InetAddress ip = SpfEvaluator.address(s.address());
            SpfEvaluator.Result r = new SpfEvaluator(dns).check(ip, d);
            out.add(r.result().equals("pass")
                    ? new Finding("spf", true, "SPF of " + d + " passes source " + s.name() + " (" + s.address()
                            + "): " + r.detail())
                    : new Finding("spf", false, "SPF of " + d + " gives " + r.result() + " for source " + s.name()
                            + " (" + s.address() + "): " + r.detail() + "; add " + (s.address().contains(":")
                            ? "ip6:" : "ip4:") + s.address() + " to it"));
        }
    }

    private static void dkim(DnsQuery dns, String d, List<DkimSettings.Key> keys, List<Finding> out) {
        if (keys.isEmpty()) {
            out.add(new Finding("dkim", false, "no dkim key in sluice.yaml signs " + d + ": make one with sluice dkim"
                    + " keygen --domain " + d + " --selector s1 (Gmail and Yahoo refuse unsigned bulk mail)"));
            return;
        }
        for (DkimSettings.Key k : keys) {
            String name = k.selector() + "._domainkey." + d;
            List<String> texts = txt(dns, name);
            if (texts == null) {
                out.add(new Finding("dkim", false, name + ": DNS did not answer; try again"));
                continue;
            }
            String record = null;
            for (String text : texts) {
                if (text.contains("p=")) {
                    record = text;
                }
            }
            String publish = ourRecord(k);
            if (record == null) {
                out.add(new Finding("dkim", false, name + " has no DKIM record; publish " + name + ". IN TXT "
                        + (publish != null ? "\"" + publish + "\"" : "the record sluice dkim keygen printed for "
                        + k.keyFile())));
                continue;
            }
            String verdict = matchesOurKey(k, record);
            out.add(verdict == null ? new Finding("dkim", true, name + " publishes the key of " + k.keyFile())
                    : new Finding("dkim", false, name + ": " + verdict + (publish != null ? "; publish \"" + publish
                    + "\"" : "")));
        }
    }

    /**
     * DMARC of {@code d}: its own {@code _dmarc} record, else its organizational domain's (approximated by its
     * parents down to two labels, without the public suffix list); exactly one record counts.
     */
    private static void dmarc(DnsQuery dns, String d, String signingDomain, List<Finding> out) {
        boolean signed = signingDomain != null;
        String record = null;
        String at = null;
        for (String x = d; x != null && record == null; x = parent(x)) {
            List<String> texts = txt(dns, "_dmarc." + x);
            if (texts == null) {
                out.add(new Finding("dmarc", false, "_dmarc." + x + ": DNS did not answer; try again"));
                return;
            }
            List<String> found = texts.stream().filter(t -> t.toLowerCase(Locale.ROOT).startsWith("v=dmarc1"))
                    .toList();
            if (found.size() > 1) {
                out.add(new Finding("dmarc", false, "_dmarc." + x + " has " + found.size() + " DMARC records;"
                        + " receivers ignore them all (RFC 7489 6.6.3): publish exactly one"));
                return;
            }
            if (found.size() == 1) {
                record = found.get(0);
                at = x;
            }
        }
        if (record == null) {
            out.add(new Finding("dmarc", false, "_dmarc." + d + " has no DMARC record (Gmail and Yahoo require one of"
                    + " bulk senders); publish _dmarc." + d + ". IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@" + d
                    + "\" and tighten p= once the reports are clean"));
            return;
        }
        String policy = tag(record, "p");
        out.add(new Finding("dmarc", true, "_dmarc." + at + ": policy " + (policy == null ? "missing" : policy)
                + (signed ? "; Sluice signs with d=" + signingDomain + ", aligned" : "")));
        if (!signed) {
            out.add(new Finding("dmarc", false, "no DKIM key signs " + d + ": DMARC passes only through aligned SPF,"
                    + " which forwarding breaks"));
        }
    }

    private static void ptr(DnsQuery dns, Source s, List<Finding> out) {
        if (s.address() == null) {
            out.add(new Finding("ptr", false, "source " + s.name() + " has no address in sluice.yaml: its PTR cannot"
                    + " be checked (give sources[].address)"));
            return;
        }
        String reverse = reverseName(s.address());
        DnsAnswer answer = dns.ask(reverse, Type.PTR);
        if (answer.kind() == DnsAnswer.Kind.FAILED) {
            out.add(new Finding("ptr", false, reverse + ": DNS did not answer; try again"));
            return;
        }
        List<String> names = new ArrayList<>();
        for (Record r : answer.records()) {
            names.add(((PTRRecord) r).getTarget().toString(true).toLowerCase(Locale.ROOT));
        }
        if (names.isEmpty()) {
            out.add(new Finding("ptr", false, s.address() + " (source " + s.name() + ") has no PTR record: ask the"
                    + " address's provider for PTR " + s.ehloName() + " (receivers distrust mail without one)"));
            return;
        }
        InetAddress ip = SpfEvaluator.address(s.address());
        boolean v4 = ip.getAddress().length == 4;
        for (String name : names) {
            boolean confirmed = false;
            for (Record r : dns.records(name, v4 ? Type.A : Type.AAAA)) {
                InetAddress a = v4 ? ((ARecord) r).getAddress() : ((AAAARecord) r).getAddress();
                confirmed |= a.equals(ip);
            }
            if (!confirmed) {
                out.add(new Finding("ptr", false, s.address() + " has PTR " + name + ", but " + name + " does not"
                        + " resolve back to it (no forward-confirmed reverse DNS): add " + name + ". IN "
                        + (v4 ? "A " : "AAAA ") + s.address()));
            } else if (!name.equalsIgnoreCase(strip(s.ehloName()))) {
                out.add(new Finding("ptr", false, s.address() + " has PTR " + name + " (confirmed), but source "
                        + s.name() + " says EHLO " + s.ehloName() + ": make ehlo_name " + name + " (or the PTR "
                        + s.ehloName() + ")"));
            } else {
                out.add(new Finding("ptr", true, s.address() + " has PTR " + name + ", confirmed, equal to the EHLO"
                        + " name of source " + s.name()));
            }
        }
    }

    /** The record for {@code k}'s key when its public key can be derived here (RSA), else null. */
    private static String ourRecord(DkimSettings.Key k) {
        if (k.key() instanceof RSAPrivateCrtKey rsa) {
            try {
                PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(),
                        rsa.getPublicExponent()));
                return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pub.getEncoded());
            } catch (GeneralSecurityException e) {
                return null;
            }
        }
        return null;
    }

    /** Null when the published record's key is ours (a probe signed with ours verifies with it), else why not. */
    private static String matchesOurKey(DkimSettings.Key k, String record) {
        String p = tag(record, "p");
        if (p == null || p.isEmpty()) {
            return "the record has no public key (p= is empty: the key is revoked)";
        }
        boolean ed = k.algorithm().startsWith("ed25519");
        String kTag = tag(record, "k");
        if (ed != "ed25519".equalsIgnoreCase(kTag == null ? "rsa" : kTag)) {
            return "the record's k=" + (kTag == null ? "rsa (the default)" : kTag) + " is not the key's algorithm "
                    + k.algorithm();
        }
        try {
            byte[] raw = Base64.getDecoder().decode(p.replaceAll("\\s", ""));
            PublicKey published = ed
                    ? KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(
                            HexFormat.of().parseHex("302a300506032b6570032100"), raw)))
                    : KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(raw));
            byte[] probe = "sluice dns check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(ed ? "Ed25519" : "SHA256withRSA");
            sign.initSign(k.key());
            sign.update(probe);
            byte[] sig = sign.sign();
            Signature verify = Signature.getInstance(ed ? "Ed25519" : "SHA256withRSA");
            verify.initVerify(published);
            verify.update(probe);
            return verify.verify(sig) ? null : "the published key is not the key in " + k.keyFile();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "the record's p= is not a " + (ed ? "Ed25519" : "RSA") + " public key (" + e.getMessage() + ")";
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The value of tag {@code name} in a {@code name=value; ...} record, or null. */
    static String tag(String record, String name) {
        for (String part : record.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return part.substring(eq + 1).trim();
            }
        }
        return null;
    }

    private static String reverseName(String address) {
        byte[] b = SpfEvaluator.address(address).getAddress();
        StringBuilder sb = new StringBuilder();
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xff).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = 15; i >= 0; i--) {
            sb.append(Character.forDigit(b[i] & 0xf, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0xf, 16))
                    .append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    private static String strip(String name) {
        return name == null ? "" : name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
