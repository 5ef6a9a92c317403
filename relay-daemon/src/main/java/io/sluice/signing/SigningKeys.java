package io.sluice.signing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which keys sign a message, by the domain of its header From (DMARC alignment): the keys of that domain, else of
 * its nearest parent domain that has keys (relaxed alignment: {@code news.shop.example} signs as
 * {@code shop.example}), else the fallback domain's. Of one domain's keys, per algorithm, the one with the latest
 * {@code activeFrom} not after now signs (key rotation); two algorithms sign twice (dual signing). Immutable;
 * thread-safe.
 */
public final class SigningKeys {
    /** One configured key: its signer, from when it signs (null: always), and whether it is the fallback. */
    public record Entry(DkimSigner signer, Instant activeFrom, boolean fallback) {
    }

    private final List<Entry> entries;

    public SigningKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static SigningKeys none() {
        return new SigningKeys(List.of());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Every configured key, in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The signers for mail whose From domain is {@code fromDomain} ("" when it has none) at {@code now}. */
    public List<DkimSigner> forFromDomain(String fromDomain, Instant now) {
        if (entries.isEmpty()) {
            return List.of();
        }
        String d = fromDomain == null ? "" : fromDomain.toLowerCase(Locale.ROOT);
        while (!d.isEmpty()) {
            List<DkimSigner> found = active(d, false, now);
            if (!found.isEmpty()) {
                return found;
            }
            int dot = d.indexOf('.');
            d = dot < 0 || d.indexOf('.', dot + 1) < 0 ? "" : d.substring(dot + 1); // stop at two labels
        }
        return active(null, true, now);
    }

    private List<DkimSigner> active(String domain, boolean fallback, Instant now) {
        List<Entry> best = new ArrayList<>();
        for (Entry e : entries) {
            boolean matches = fallback ? e.fallback() : e.signer().key().domain().equals(domain);
            if (!matches || (e.activeFrom() != null && e.activeFrom().isAfter(now))) {
                continue;
            }
            int same = -1;
            for (int i = 0; i < best.size(); i++) {
                if (best.get(i).signer().key().algorithm() == e.signer().key().algorithm()) {
                    same = i;
                }
            }
            if (same < 0) {
                best.add(e);
            } else if (since(e).isAfter(since(best.get(same)))) {
                best.set(same, e);
            }
        }
        List<DkimSigner> out = new ArrayList<>(best.size());
        for (Entry e : best) {
            out.add(e.signer());
        }
        return out;
    }

    private static Instant since(Entry e) {
        return e.activeFrom() == null ? Instant.MIN : e.activeFrom();
    }
}
