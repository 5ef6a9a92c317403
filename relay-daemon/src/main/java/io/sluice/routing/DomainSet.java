package io.sluice.routing;

import io.sluice.util.IdnDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The domains of one match key ({@code sender_domains} or {@code recipient_domains}), compiled for lookups that do
 * not allocate. An entry {@code example.com} matches exactly that domain; an entry {@code .example.com} matches
 * every subdomain of example.com ({@code a.example.com}, {@code b.a.example.com}) but not example.com itself.
 *
 * <p>Input contract of {@link #contains}: the domain is already lower case (ASCII letters; international labels as
 * lower-case U-labels or as A-labels: each configured domain is held in both forms, so either matches). Immutable,
 * thread-safe.
 */
final class DomainSet {

    private final Set<String> exact;
    private final String[] suffixes;

    /** @param domains lower case, A-label form, a leading dot for subdomains (as the config loader keeps them) */
    DomainSet(List<String> domains) {
        Set<String> exactForms = new HashSet<>();
        List<String> suffixForms = new ArrayList<>();
        for (String domain : domains) {
            boolean subdomains = domain.startsWith(".");
            String name = subdomains ? domain.substring(1) : domain;
            String unicode = IdnDomain.toUnicode(name);
            for (String form : unicode == null || unicode.equals(name) ? List.of(name) : List.of(name, unicode)) {
                if (subdomains) {
                    suffixForms.add("." + form);
                } else {
                    exactForms.add(form);
                }
            }
        }
        this.exact = Set.copyOf(exactForms);
        this.suffixes = suffixForms.toArray(String[]::new);
    }

    /** True when {@code domain} (lower case) is listed, or is a subdomain of a {@code .}-entry. */
    boolean contains(String domain) {
        if (exact.contains(domain)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (domain.length() > suffix.length() && domain.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
