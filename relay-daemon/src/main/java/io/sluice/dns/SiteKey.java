package io.sluice.dns;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Identity of a delivery site: the sorted, lower-cased set of MX host names a domain resolves to (without
 * trailing dots). Domains hosted at the same MX hosts get equal keys, so the scheduler can give them one ready
 * queue, one connection pool and one health record. For an implicit MX (RFC 5321 5.1: no MX records, so the
 * domain's own A/AAAA) the single name is the domain itself.
 *
 * <p>Preferences are deliberately not part of the key: two domains that list the same hosts in a different order
 * still reach the same machines. Immutable and thread-safe; equality and hash are by the name set; the hash is
 * computed once because keys live in hash maps on the scheduler's hot path.
 */
public final class SiteKey {

    /** Prefix of a smarthost's site name: a colon never occurs in a host name, so the two never collide. */
    public static final String SMARTHOST_PREFIX = "smarthost:";

    private final String[] names;
    private final int hash;
    /** The smarthost's name ({@code smarthosts[].name}) when this site is one, else null. */
    private final String smarthost;

    private SiteKey(String[] names, String smarthost) {
        this.names = names;
        this.hash = Arrays.hashCode(names);
        this.smarthost = smarthost;
    }

    /**
     * The site of smarthost {@code name} ({@code smarthosts[].name}): its ready queues and connection pools are
     * keyed by it (source, smarthost), whatever the recipient domain. Shown as {@code smarthost:<name>}.
     */
    public static SiteKey smarthost(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty smarthost name");
        }
        return new SiteKey(new String[] {SMARTHOST_PREFIX + name}, name);
    }

    /** The smarthost's name when this is a smarthost's site ({@link #smarthost(String)}), else null. */
    public String smarthostName() {
        return smarthost;
    }

    /**
     * The key for these host names; case and a trailing dot are ignored, duplicates collapse.
     *
     * @throws IllegalArgumentException when there is no name or a name is empty
     */
    public static SiteKey of(Collection<String> hostNames) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String name : hostNames) {
            sorted.add(normalise(name));
        }
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a site needs at least one host name");
        }
        return new SiteKey(sorted.toArray(String[]::new), null);
    }

    /** Lower case, without a trailing dot: the form MX host names take everywhere in this package. */
    static String normalise(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /** The host names, sorted. */
    public List<String> names() {
        return List.of(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SiteKey other && hash == other.hash && Arrays.equals(names, other.names);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The names joined by commas, e.g. {@code mx1.example.net,mx2.example.net}; used in logs and events. */
    @Override
    public String toString() {
        return String.join(",", names);
    }
}
