package io.sluice.scheduler;

import io.sluice.dns.SiteKey;
import java.util.HashMap;
import java.util.Map;

/**
 * One site (MX host set, or a smarthost) and its ready queues, one {@link SiteState} per source that has sent there
 * ({@link ReadyKey}: source, site). Domains resolve to a group; the source is chosen when a batch is placed
 * ({@link SourceChoice}). Made by {@link Resolutions}, which also makes the states; never forgotten (their health
 * matters). Scheduler thread only.
 */
final class SiteGroup {
    final SiteKey key;
    /** {@link #key} as text, the name operators use ({@code --site}). */
    final String name;
    private final Map<String, SiteState> bySource = new HashMap<>(4);
    /** The same states in creation order (walked without an iterator). */
    private final java.util.ArrayList<SiteState> states = new java.util.ArrayList<>(4);
    private SiteState first;
    /** The smarthost this site is ({@link SiteKey#smarthost}), or null for an MX host set. */
    Smarthosts.Smarthost smarthost;
    /** The path policy's limits for this site (its provider's, the default's, or unshaped), cached by {@link PathGate}. */
    io.sluice.shaping.PathShape shape;
    /** The policy generation {@link #shape} was looked up under ({@link PathGate#shapeOf}). */
    int shapeGeneration;

    SiteGroup(SiteKey key) {
        this.key = key;
        this.name = key.toString();
    }

    /** The ready queue of {@code source} here, or null when that source has not been used here yet. */
    SiteState existing(String source) {
        return bySource.get(source);
    }

    void add(SiteState state) {
        bySource.put(state.readyKey.source(), state);
        states.add(state);
        if (first == null) {
            first = state;
        }
    }

    /** The first ready queue made here (the row {@code sluice queue} counts the site's unplaced mail in), or null. */
    SiteState first() {
        return first;
    }

    /** How many ready queues (sources) this site has. */
    int size() {
        return states.size();
    }

    /** Ready queue {@code i}, in creation order. */
    SiteState state(int i) {
        return states.get(i);
    }

    /** Whether some ready queue here has mail waiting. */
    boolean hasReady() {
        for (int i = 0; i < states.size(); i++) {
            if (!states.get(i).ready.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** A smarthost's site whose host has no known address: its queues cannot be dispatched. */
    boolean waitsForAddress() {
        return smarthost != null && smarthost.hosts == null;
    }

}
