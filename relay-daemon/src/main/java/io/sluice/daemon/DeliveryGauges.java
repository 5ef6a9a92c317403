package io.sluice.daemon;

import io.sluice.delivery.ConnectionPools;
import io.sluice.dns.ResolutionCounters;
import io.sluice.metrics.DnsFailure;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.scheduler.SchedulerCounters;
import io.sluice.scheduler.SmarthostStatus;

/**
 * Binds the delivery side's read-only counters to their callback series in {@link SluiceMetrics}: queue depths,
 * in-flight recipients and dead sites from {@link SchedulerCounters} (as of the scheduler's last cycle), open
 * outbound connections from {@link ConnectionPools}, and MX resolutions and their failures from
 * {@link ResolutionCounters}, mapping the resolver's failure kinds onto the metric's closed {@link DnsFailure} set,
 * and each smarthost's breaker from the scheduler's snapshot ({@link SmarthostStatus}).
 *
 * <p>Everything is read at scrape time on the admin thread; nothing here runs on a delivery path.
 */
final class DeliveryGauges {

    private DeliveryGauges() {
    }

    static void bind(SluiceMetrics metrics, SchedulerCounters scheduler, ConnectionPools<?> pools,
                     ResolutionCounters dns, java.util.function.Supplier<java.util.List<SmarthostStatus>> smarthosts,
                     java.util.function.Supplier<io.sluice.scheduler.ShapingState> shaping,
                     java.util.function.Supplier<java.util.List<String>> providers,
                     java.util.function.Supplier<java.util.List<String>> sources,
                     java.util.function.Supplier<java.util.List<io.sluice.scheduler.SourceRotation>> rotation,
                     java.util.function.Supplier<io.sluice.scheduler.WarmupState> warmup) {
        metrics.bindWarmup(visitor -> {
            java.util.Map<String, io.sluice.scheduler.WarmupState.Source> warming = new java.util.HashMap<>();
            for (io.sluice.scheduler.WarmupState.Source w : warmup.get().sources()) {
                warming.put(w.source(), w);
            }
            for (String source : sources.get()) {
                io.sluice.scheduler.WarmupState.Source w = warming.get(source);
                long sent = 0;
                if (w != null) {
                    for (long n : w.sent().values()) {
                        sent += n;
                    }
                }
                visitor.source(source, w == null || w.complete() ? 0 : w.day(), sent);
            }
        });
        metrics.bindSourceRotation(visitor -> {
            java.util.Set<String> out = new java.util.HashSet<>();
            for (io.sluice.scheduler.SourceRotation r : rotation.get()) {
                out.add(r.source() + "\t" + r.provider());
            }
            for (String source : sources.get()) { // every pair's series, 0 while in rotation
                for (String provider : providers.get()) {
                    visitor.pair(source, provider, out.contains(source + "\t" + provider));
                }
            }
        });
        metrics.bindShapingActions(visitor -> {
            java.util.Map<String, java.util.Set<String>> paths = new java.util.TreeMap<>();
            for (String provider : providers.get()) { // every provider's series, 0 while nothing is in force
                for (String kind : new String[] {"suspend", "message_rate", "connections"}) {
                    paths.put(provider + "\t" + kind, new java.util.HashSet<>());
                }
            }
            for (io.sluice.scheduler.ShapingState.Entry a : shaping.get().actions()) {
                String provider = a.provider() == null ? "default" : a.provider();
                String path = a.source() + "\t" + a.target(); // a path with two actions of a kind counts once
                if (a.suspend()) {
                    paths.computeIfAbsent(provider + "\tsuspend", k -> new java.util.HashSet<>()).add(path);
                }
                if (a.messageRate() != null) {
                    paths.computeIfAbsent(provider + "\tmessage_rate", k -> new java.util.HashSet<>()).add(path);
                }
                if (a.connections() > 0) {
                    paths.computeIfAbsent(provider + "\tconnections", k -> new java.util.HashSet<>()).add(path);
                }
            }
            paths.forEach((k, set) -> visitor.actions(k.substring(0, k.indexOf('\t')),
                    k.substring(k.indexOf('\t') + 1), set.size()));
        });
        metrics.bindSmarthostCircuits(visitor -> {
            for (SmarthostStatus h : smarthosts.get()) {
                visitor.smarthost(h.name(), !"closed".equals(h.state()), h.opened());
            }
        });
        metrics.bindQueueScheduledRecipients(scheduler::scheduledRecipients);
        metrics.bindQueueReadyRecipients(scheduler::readyRecipients);
        metrics.bindQueueInFlightRecipients(scheduler::inFlightRecipients);
        metrics.bindQueueHeldRecipients(scheduler::heldRecipients);
        metrics.bindQueueSuspendedRecipients(scheduler::suspendedRecipients);
        metrics.bindDeadSites(scheduler::deadSites);
        metrics.bindEgressRerouted(scheduler::reroutedRecipients);
        metrics.bounces().bindSuppressedRecipients(scheduler::suppressedRecipients);
        metrics.bindOutboundConnections(pools::openConnections);
        metrics.bindDnsLookups(dns::lookups);
        metrics.bindDnsFailures(kind -> dns.failures(resolverKind(kind)));
    }

    static ResolutionCounters.Failure resolverKind(DnsFailure kind) {
        return switch (kind) {
            case NXDOMAIN -> ResolutionCounters.Failure.NXDOMAIN;
            case TEMPORARY -> ResolutionCounters.Failure.TEMPORARY;
            case NULL_MX -> ResolutionCounters.Failure.NULL_MX;
            case REFUSED_PRIVATE -> ResolutionCounters.Failure.REFUSED_PRIVATE;
            case NO_ADDRESS -> ResolutionCounters.Failure.NO_ADDRESS;
            case BAD_NAME -> ResolutionCounters.Failure.BAD_NAME;
        };
    }
}
