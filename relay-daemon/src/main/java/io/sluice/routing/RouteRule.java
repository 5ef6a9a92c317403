package io.sluice.routing;

import io.sluice.config.RouteSettings;
import io.sluice.model.RouteInputs;
import java.util.List;
import java.util.Set;

/**
 * One route's match keys compiled for evaluation, with the {@link Route} it yields. A key the route does not give is
 * null and fits every message; a given key fits when the message's input is in it. {@link #matches} allocates
 * nothing (hash lookups on strings whose hashes are cached, and a loop over an array). Immutable, thread-safe.
 */
final class RouteRule {

    private final Route route;
    private final DomainSet senderDomains;
    private final DomainSet recipientDomains;
    private final Set<String> authUsers;
    private final Set<String> listeners;
    private final Set<String> streams;

    RouteRule(Route route, RouteSettings.Match match) {
        this.route = route;
        this.senderDomains = match == null || match.senderDomains().isEmpty() ? null
                : new DomainSet(match.senderDomains());
        this.recipientDomains = match == null || match.recipientDomains().isEmpty() ? null
                : new DomainSet(match.recipientDomains());
        this.authUsers = setOrNull(match == null ? List.of() : match.authUsers());
        this.listeners = setOrNull(match == null ? List.of() : match.listeners());
        this.streams = setOrNull(match == null ? List.of() : match.streams());
    }

    private static Set<String> setOrNull(List<String> values) {
        return values.isEmpty() ? null : Set.copyOf(values);
    }

    Route route() {
        return route;
    }

    /** True when every match key this route gives fits; {@code recipientDomain} lower case (see {@link Router}). */
    boolean matches(RouteInputs inputs, String recipientDomain) {
        return (senderDomains == null || senderDomains.contains(inputs.senderDomain()))
                && (recipientDomains == null || recipientDomains.contains(recipientDomain))
                && (authUsers == null || authUsers.contains(inputs.authUser()))
                && (listeners == null || listeners.contains(inputs.listener()))
                && (streams == null || streams.contains(inputs.stream()));
    }
}
