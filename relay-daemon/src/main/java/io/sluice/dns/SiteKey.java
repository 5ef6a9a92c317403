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
 *
 * <p>A domain under an MTA-STS policy in enforce or testing mode gets a key marked with that mode
 * ({@link #withMtaSts}): the same host names, another site, so its mail never shares a connection with mail that
 * may go unverified (enforce connects with verified TLS only), and its results can be judged (testing). The mark
 * is part of equality but not of {@link #toString}: operators still name the site by its hosts.
 */
public final class SiteKey {

    /** Prefix of a smarthost's site name: a colon never occurs in a host name, so the two never collide. */
    public static final String SMARTHOST_PREFIX = "smarthost:";
    /** Prefix of a provider's key (its sites' shared connection pool per source): never a host name either. */
    public static final String PROVIDER_PREFIX = "provider:";

    private final String[] names;
    private final int hash;
    /** The smarthost's name ({@code smarthosts[].name}) when this site is one, else null. */
    private final String smarthost;
    /** The provider's name when this key stands for all of a provider's sites, else null. */
    private final String provider;
    /** The MTA-STS mode its domains' policy asks for (enforce or testing), else null. */
    private final MtaStsPolicy.Mode mtaSts;

    private SiteKey(String[] names, String smarthost) {
        this(names, smarthost, null, null);
    }

    private SiteKey(String[] names, String smarthost, String provider, MtaStsPolicy.Mode mtaSts) {
        this.names = names;
        this.hash = Arrays.hashCode(names) * 31 + (mtaSts == null ? 0 : mtaSts.ordinal() + 1);
        this.smarthost = smarthost;
        this.provider = provider;
        this.mtaSts = mtaSts;
    }

    /**
     * This key marked with an MTA-STS {@code mode} (enforce or testing; null or none: unmarked); a smarthost's key
     * is never marked (MTA-STS is about MX hosts).
     */
    public SiteKey withMtaSts(MtaStsPolicy.Mode mode) {
        MtaStsPolicy.Mode m = mode == MtaStsPolicy.Mode.NONE || smarthost != null ? null : mode;
        return m == mtaSts ? this : new SiteKey(names, smarthost, provider, m);
    }

    /** The MTA-STS mode this site's domains' policy asks for (enforce or testing), or null. */
    public MtaStsPolicy.Mode mtaSts() {
        return mtaSts;
    }

    /**
     * The key of every site of mailbox provider {@code name} (traffic shaping): the connection pool a source's
     * deliveries to all of them share when the provider caps connections per source. Shown as
     * {@code provider:<name>}.
     */
    public static SiteKey provider(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty provider name");
        }
        return new SiteKey(new String[] {PROVIDER_PREFIX + name}, null, name, null);
    }

    /** The provider's name when this is a provider's key ({@link #provider(String)}), else null. */
    public String providerName() {
        return provider;
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

    /** How many host names the key has. */
    public int size() {
        return names.length;
    }

    /** Host name {@code i} in sorted order (no copy, unlike {@link #names()}). */
    public String name(int i) {
        return names[i];
    }

    /** The host names, sorted. */
    public List<String> names() {
        return List.of(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SiteKey other && hash == other.hash && mtaSts == other.mtaSts
                && Arrays.equals(names, other.names);
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
