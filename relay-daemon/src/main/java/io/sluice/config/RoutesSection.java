package io.sluice.config;

import io.sluice.config.RouteSettings.Match;
import io.sluice.util.IdnDomain;
import io.sluice.util.IpLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code routes} list into {@link RouteSettings}, checking every name it refers to.
 *
 * <p>Absent or null: one route {@code default} to pool {@code default} (reported at {@code routes} when the file
 * lists pools without one named so). An empty list is an error. Per route: {@code name} required, well-formed and
 * unique; {@code match} absent for the default route, else a mapping with at least one of {@code sender_domains},
 * {@code recipient_domains}, {@code auth_users}, {@code listeners}, {@code streams}, each a non-empty list of strings
 * (domains: a domain name, U-labels or A-labels, kept lower case in A-label form; a leading {@code .} means every
 * subdomain; listeners: names of listeners in this file); {@code lane} an existing lane (default {@code default});
 * the path: {@code pool} alone (direct to MX through the pool), or {@code smarthosts}, a non-empty list of existing
 * smarthosts, with an optional {@code pool} (whom to bind as); neither is an error; {@code verp} optional, a
 * mapping with {@code domain} (a domain name). Exactly one route has no
 * {@code match}, and it is the last: a route after it could never match.
 */
final class RoutesSection {

    /** What the routes refer to, already read. */
    record Names(List<ListenerSettings> listeners, List<PoolSettings> pools, List<SmarthostSettings> smarthosts,
                 List<LaneSettings> lanes, List<String> feedbackDomains) {
    }

    private RoutesSection() {
    }

    static List<RouteSettings> read(YamlMapping doc, Names names) {
        List<YamlMapping> items = doc.mappingList("routes");
        if (items == null) {
            if (doc.failed("routes")) {
                return List.of();
            }
            if (!names.pools().isEmpty()
                    && names.pools().stream().noneMatch(p -> PoolSettings.DEFAULT_NAME.equals(p.name()))) {
                doc.error("routes", "absent, so there is one route default to pool default, but no pool is named"
                        + " default: name a pool default, or list routes");
            }
            return List.of(new RouteSettings(RouteSettings.DEFAULT_NAME, null, LaneSettings.DEFAULT_NAME,
                    PoolSettings.DEFAULT_NAME, List.of()));
        }
        if (items.isEmpty()) {
            doc.error("routes", "at least one route is needed: the last one without match (it takes everything)");
            return List.of();
        }
        List<RouteSettings> routes = new ArrayList<>();
        List<ConfigName.Named> named = new ArrayList<>();
        YamlMapping catchAll = null;
        for (YamlMapping m : items) {
            RouteSettings route = readOne(m, names);
            named.add(new ConfigName.Named(route.name(), m));
            routes.add(route);
            if (catchAll != null) {
                m.error("name", (route.name() == null ? "this route" : "route " + route.name())
                        + " can never match: " + catchAll.path() + " (line " + catchAll.line()
                        + ") has no match and takes every message (the route without match must be the last)");
            } else if (route.match() == null && !m.failed("match")) {
                catchAll = m;
            }
        }
        ConfigName.requireUnique(named);
        if (catchAll == null) {
            doc.error("routes", "no default route: the last route must have no match, so that every message has a"
                    + " route");
        }
        return routes;
    }

    private static RouteSettings readOne(YamlMapping m, Names names) {
        String name = ConfigName.required(m, "a unique name for logs, metrics and route test");
        Match match = m.isPresent("match") ? match(m.mapping("match"), names.listeners()) : null;
        if (match == null && m.isPresent("match")) {
            m.error("match", "give at least one of sender_domains, recipient_domains, auth_users, listeners,"
                    + " streams (a route that takes everything has no match)");
        }
        String lane = m.read("lane", LaneSettings.DEFAULT_NAME, ConfigName::parse);
        String pool = m.read("pool", null, ConfigName::parse);
        List<String> smarthosts = smarthosts(m, names.smarthosts());
        RouteSettings.Verp verp = m.isPresent("verp") ? verp(m.mapping("verp")) : null;
        RouteSettings.Unsubscribe unsubscribe = m.isPresent("unsubscribe")
                ? unsubscribe(m.mapping("unsubscribe"), verp, names.feedbackDomains()) : null;
        m.finish();

        if (!m.failed("lane") && names.lanes().stream().noneMatch(l -> l.name().equals(lane))) {
            m.error("lane", "no lane is named " + lane + " (lanes: " + String.join(", ",
                    names.lanes().stream().map(LaneSettings::name).toList()) + ")");
        }
        if (pool != null && !names.pools().isEmpty() && names.pools().stream().noneMatch(p -> p.name().equals(pool))) {
            m.error("pool", "no pool is named " + pool);
        }
        if (pool == null && smarthosts.isEmpty() && !m.failed("pool") && !m.failed("smarthosts")) {
            m.error("name", "route " + (name == null ? "" : name + " ") + "has no path: give pool (direct to MX"
                    + " through it) or smarthosts (relay through them; pool then optional, whom to bind as)");
        }
        return new RouteSettings(name, match, lane, pool, smarthosts, verp, unsubscribe);
    }

    /**
     * {@code unsubscribe: {url_base: https://..., mailto: false}}: url_base required, an absolute https URL without
     * query or fragment (a trailing {@code /} is dropped); mailto needs a domain for the address: the route's
     * {@code verp.domain} or {@code feedback.domains}.
     */
    private static RouteSettings.Unsubscribe unsubscribe(YamlMapping m, RouteSettings.Verp verp,
                                                         List<String> feedbackDomains) {
        String url = m.read("url_base", null, RoutesSection::httpsBase);
        boolean mailto = m.bool("mailto", false);
        m.finish();
        if (url == null) {
            if (!m.failed("url_base")) {
                m.error("url_base", "required: the https address the web listener is reached at, e.g."
                        + " https://u.example.com (the one-click link is <url_base>/u/<token>)");
            }
            return null;
        }
        String domain = verp != null ? verp.domain() : feedbackDomains.isEmpty() ? null : feedbackDomains.get(0);
        if (mailto && domain == null) {
            m.error("mailto", "a mailto address needs a domain the feedback listener takes: give this route"
                    + " verp.domain, or feedback.domains");
            return null;
        }
        return new RouteSettings.Unsubscribe(url, mailto, mailto ? domain : null);
    }

    private static String httpsBase(String raw) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(raw);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(raw + " is not a URL: " + e.getReason());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(raw + " is not an https URL with a host (RFC 8058 asks for HTTPS)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(raw + " has a query, fragment or user: give only scheme, host, port"
                    + " and path");
        }
        return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    }

    /** {@code verp: {domain: ...}}: the domain is required, a plain domain name (no leading {@code .}). */
    private static RouteSettings.Verp verp(YamlMapping m) {
        String raw = m.string("domain", null);
        m.finish();
        if (raw == null) {
            if (!m.failed("domain")) {
                m.error("domain", "required: the domain of the VERP return paths (its MX is the feedback listener)");
            }
            return null;
        }
        String domain = raw.startsWith(".") ? null : domain(raw);
        if (domain == null) {
            m.error("domain", (raw.isEmpty() ? "\"\"" : raw) + " is not a domain name (write bounces.example.com)");
            return null;
        }
        return new RouteSettings.Verp(domain);
    }

    /** Failover order is tracked per batch in one 64-bit mask (the scheduler's), so a route names at most 64. */
    static final int MAX_SMARTHOSTS_PER_ROUTE = 64;

    private static List<String> smarthosts(YamlMapping m, List<SmarthostSettings> known) {
        List<YamlMapping.Item> items = m.scalarList("smarthosts");
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            m.error("smarthosts", "an empty list: name at least one smarthost, or leave the key out for direct"
                    + " to MX through pool");
            return List.of();
        }
        if (items.size() > MAX_SMARTHOSTS_PER_ROUTE) {
            m.error("smarthosts", items.size() + " smarthosts: at most " + MAX_SMARTHOSTS_PER_ROUTE + " per route");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (YamlMapping.Item item : items) {
            if (known.stream().noneMatch(s -> item.text().equals(s.name()))) {
                m.error(item, "no smarthost is named " + item.text());
            } else if (out.contains(item.text())) {
                m.error(item, item.text() + " is already in this list");
            } else {
                out.add(item.text());
            }
        }
        return out;
    }

    /** The match keys, or null when none is given (reported by the caller). */
    private static Match match(YamlMapping m, List<ListenerSettings> listeners) {
        List<String> senderDomains = domains(m, "sender_domains");
        List<String> recipientDomains = domains(m, "recipient_domains");
        List<String> authUsers = strings(m, "auth_users");
        List<String> listenerNames = listenerNames(m, listeners);
        List<String> streams = strings(m, "streams");
        m.finish();
        boolean anyGiven = false;
        for (String key : List.of("sender_domains", "recipient_domains", "auth_users", "listeners", "streams")) {
            anyGiven |= m.isPresent(key);
        }
        if (!anyGiven) {
            return null;
        }
        return new Match(senderDomains, recipientDomains, authUsers, listenerNames, streams);
    }

    private static List<String> listenerNames(YamlMapping m, List<ListenerSettings> listeners) {
        List<YamlMapping.Item> items = m.scalarList("listeners");
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            m.error("listeners", "an empty list would match nothing: list at least one listener, or leave the key"
                    + " out");
        }
        List<String> names = new ArrayList<>();
        for (YamlMapping.Item item : items) {
            if (!listeners.isEmpty() && listeners.stream().noneMatch(l -> item.text().equals(l.name()))) {
                m.error(item, "no listener is named " + item.text() + " (listeners: " + String.join(", ",
                        listeners.stream().map(ListenerSettings::name).toList()) + ")");
            }
            names.add(item.text());
        }
        return names;
    }

    private static List<String> strings(YamlMapping m, String key) {
        List<YamlMapping.Item> items = m.scalarList(key);
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            m.error(key, "an empty list would match nothing: list at least one value, or leave the key out");
        }
        List<String> out = new ArrayList<>();
        for (YamlMapping.Item item : items) {
            if (item.text().isEmpty()) {
                m.error(item, "must not be empty (a message without this input never matches a list)");
            } else {
                out.add(item.text());
            }
        }
        return out;
    }

    private static List<String> domains(YamlMapping m, String key) {
        List<YamlMapping.Item> items = m.scalarList(key);
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            m.error(key, "an empty list would match nothing: list at least one domain, or leave the key out");
        }
        List<String> out = new ArrayList<>();
        for (YamlMapping.Item item : items) {
            String domain = domain(item.text());
            if (domain == null) {
                m.error(item, (item.text().isEmpty() ? "\"\"" : item.text()) + " is not a domain name (write"
                        + " example.com, or .example.com for every subdomain)");
            } else {
                out.add(domain);
            }
        }
        return out;
    }

    /** Lower case, A-label form, a leading dot kept; null when not a valid domain name. */
    static String domain(String raw) {
        boolean subdomains = raw.startsWith(".");
        String name = subdomains ? raw.substring(1) : raw;
        if (name.isEmpty() || IpLiteral.isLiteral(name) || name.startsWith("[")) {
            return null;
        }
        String ascii = IdnDomain.toAscii(name);
        if (ascii == null || !HostNameSyntax.isValid(ascii)) {
            return null;
        }
        return (subdomains ? "." : "") + ascii.toLowerCase(Locale.ROOT);
    }
}
