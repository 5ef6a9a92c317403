package io.sluice.scheduler;

import io.sluice.config.ShapingSettings.Action;
import io.sluice.events.EventPublisher;
import io.sluice.events.LifecycleEvent;
import io.sluice.util.Durations;
import io.sluice.util.IsoInstant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reply-rule automation on the scheduler's side (docs/shaping.md "Automation"): the delivery stage has already
 * matched each reply against the path's rules, off this thread ({@link TaskResult#fired}); here a match is counted
 * on its path ({@link ActionTarget}: the (source, provider) path, or the (source, site) path of a site no provider
 * matches), and when the rule's trigger is met its action is put in force for its duration: {@link PathGate} then
 * holds the path's deliveries to it. An action ends by itself on a retry timer ({@link #expire}), or early by an
 * operator ({@link #lift}); every change is an event ({@code shaping}), a log line, and a new {@link ShapingState}
 * handed to the persister, so actions survive a restart ({@link #restore}).
 *
 * <p>A rule whose action is in force on a path does not fire there again until it ends. {@code bounce} actions are
 * carried out by the delivery stage (the matching recipients come back permanent) and are only counted here.
 * Scheduler thread only, except {@link #snapshot} (any thread).
 */
final class ShapingActions {
    private static final Logger LOG = LoggerFactory.getLogger(ShapingActions.class);

    private final RetryTimers timers;
    private final EventPublisher events;
    private final Map<String, ActionTarget> targets = new HashMap<>();
    private volatile ShapingState published = ShapingState.EMPTY;
    private Consumer<ShapingState> persister = s -> { };

    ShapingActions(RetryTimers timers, EventPublisher events) {
        this.timers = timers;
        this.events = events;
    }

    /** Who is handed the new state after every change (the daemon writes it to the journal directory). */
    void persistWith(Consumer<ShapingState> next) {
        this.persister = next;
    }

    /** The actions in force as of the last change. Any thread. */
    ShapingState snapshot() {
        return published;
    }

    /** The target named so for {@code source}, or null when no action was ever in force there. */
    ActionTarget existing(String source, String target) {
        return targets.get(ActionTarget.key(source, target));
    }

    /** The target of a provider's path ({@code provider NAME}) or a site's ({@code site KEY}). */
    static String targetName(String provider, String site) {
        return provider != null ? "provider " + provider : "site " + site;
    }

    private ActionTarget target(String source, String name, String provider) {
        return targets.computeIfAbsent(ActionTarget.key(source, name), k -> new ActionTarget(source, name, provider));
    }

    /**
     * A reply on {@code site}'s path matched a rule: counts it and, when the trigger is met, puts the action in
     * force. Returns the path's target when an action was applied (the gate re-reads it), else null.
     */
    ActionTarget fired(SiteState site, TaskResult.Fired fired, long nowMillis) {
        Action action = fired.rule().action();
        PathGroup g = site.pathGroup;
        ActionTarget t = g != null ? g.actions : site.actions;
        if (t == null) {
            String provider = site.group.shape == null ? null : site.group.shape.provider();
            t = target(site.readyKey.source(), targetName(provider, site.name), provider);
            if (g != null) {
                g.actions = t;
            } else {
                site.actions = t;
            }
        }
        if (action.bounce() || t.inForce(fired.rule()) || !t.hit(fired.rule(), nowMillis)) {
            return null;
        }
        long until = nowMillis + action.duration().toMillis();
        ActiveAction a = new ActiveAction(t, fired.rule(), action.suspend(), action.messageRate(),
                action.connections(), nowMillis, until, fired.rule().match(), fired.reply());
        start(a, nowMillis);
        String text = IsoInstant.append(new StringBuilder(a.describe()).append(" for ")
                .append(Durations.format(Duration.ofMillis(until - nowMillis))).append(" until "), until)
                .append(" after: ").append(fired.reply()).toString();
        LOG.warn("shaping: {} on {} of source {}: {}", "applied", t.target, t.source, text);
        events.publish(LifecycleEvent.shaping(nowMillis, t.source, t.target, "applied", text, t.active.size()));
        publish();
        return t;
    }

    private void start(ActiveAction a, long nowMillis) {
        a.target.active.add(a);
        a.target.recompute(nowMillis);
        a.timerId = timers.schedule(a.untilMillis, a);
    }

    /** Action {@code a}'s time is up (its timer fired): it ends; returns its target, whose waiters the gate wakes. */
    ActionTarget expire(ActiveAction a, long nowMillis) {
        a.timerId = RetryTimers.NONE;
        if (!a.target.active.remove(a)) {
            return null;
        }
        a.target.recompute(nowMillis);
        LOG.info("shaping: expired on {} of source {}: {}", a.target.target, a.target.source, a.describe());
        events.publish(LifecycleEvent.shaping(nowMillis, a.target.source, a.target.target, "expired", a.describe(),
                a.target.active.size()));
        publish();
        return a.target;
    }

    /**
     * Ends every action on the targets {@code provider} or {@code site} names (exactly one of them non-null; the
     * site's key as text), from {@code source} or, when null, every source (an operator's {@code resume}). The
     * targets changed go to {@code changed}; returns how many actions ended.
     */
    int lift(String provider, String site, String source, long nowMillis, Consumer<ActionTarget> changed) {
        String name = targetName(provider, site);
        int n = 0;
        for (ActionTarget t : targets.values()) {
            if (!t.target.equals(name) || (source != null && !t.source.equals(source)) || t.active.isEmpty()) {
                continue;
            }
            for (ActiveAction a : t.active) {
                timers.cancel(a.timerId);
                events.publish(LifecycleEvent.shaping(nowMillis, t.source, t.target, "lifted", a.describe(), 0));
                n++;
            }
            t.active.clear();
            t.recompute(nowMillis);
            changed.accept(t);
        }
        if (n > 0) {
            LOG.info("shaping: {} action(s) on {} lifted by an operator", n, name);
            publish();
        }
        return n;
    }

    /** Puts the persisted actions back in force (at start, before the agent runs); ended ones were dropped. */
    void restore(ShapingState state, long nowMillis) {
        for (ShapingState.Entry e : state.actions()) {
            if (e.untilMillis() <= nowMillis) {
                continue;
            }
            ActionTarget t = target(e.source(), e.target(), e.provider());
            start(new ActiveAction(t, null, e.suspend(), e.messageRate(), e.connections(), e.sinceMillis(),
                    e.untilMillis(), e.match(), e.reply()), nowMillis);
        }
        publish();
    }

    private void publish() {
        List<ShapingState.Entry> out = new ArrayList<>();
        for (ActionTarget t : targets.values()) {
            for (ActiveAction a : t.active) {
                out.add(new ShapingState.Entry(t.source, t.target, t.provider, a.sinceMillis, a.untilMillis,
                        a.suspend, a.messageRate, a.connections, a.match, a.reply));
            }
        }
        out.sort(java.util.Comparator.comparingLong(ShapingState.Entry::sinceMillis));
        ShapingState next = new ShapingState(out);
        published = next;
        persister.accept(next);
    }
}
