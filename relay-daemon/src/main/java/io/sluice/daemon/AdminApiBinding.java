package io.sluice.daemon;

import io.sluice.admin.AdminApi;
import io.sluice.config.ListenerSettings;
import io.sluice.config.SettingsHolder;
import io.sluice.dns.ResolverHealth;
import io.sluice.journal.AcceptedRecord;
import io.sluice.journal.BodiesReader;
import io.sluice.journal.Journal;
import io.sluice.journal.JournalWriter;
import io.sluice.journal.OutcomeCode;
import io.sluice.journal.DeferredReplyLookup;
import io.sluice.journal.OutcomeLookup;
import io.sluice.journal.PendingSet;
import io.sluice.journal.PendingView;
import io.sluice.routing.Router;
import io.sluice.scheduler.QueueSnapshot;
import io.sluice.scheduler.Scheduler;
import io.sluice.scheduler.SchedulerCounters;
import io.sluice.smtp.server.SmtpServer;
import io.sluice.util.JsonText;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The daemon's answers to the admin API's read-only routes ({@link AdminApi}), from the stages' thread-safe views:
 *
 * <ul>
 *   <li>{@code status}: counters any thread may read (the pending set's volatile totals, the scheduler's published
 *       {@link SchedulerCounters}, the SMTP server's connection count) and the journal's disk bytes per queue
 *       ({@link Journal#diskBytes}, a directory listing) and free space. Document:
 *       {@code {"version", "started_millis", "uptime_seconds", "listeners": [{"name", "address", "port", "tls"}],
 *       "queue": {"pending_messages", "pending_recipients", "scheduled", "ready", "in_flight", "held", "suspended",
 *       "dead_sites"},
 *       "journal": {"dir", "bodies_bytes", "state_bytes", "events_bytes", "free_bytes"},
 *       "dns": {"resolvers", "source", "failing", "failure", "failing_since_millis"}, "connections_open",
 *       "sources", "smarthosts", "shaping": {"file", "overrides", "actions": [...], "out_of_rotation": [...]}}}
 *       (dns from the resolver's {@link ResolverHealth}).</li>
 *   <li>{@code queue}: a snapshot the scheduler builds on its own thread ({@link Scheduler#requestSnapshot}),
 *       rendered by {@link QueueJson}.</li>
 *   <li>{@code inspect}: a copy of the pending message made on the journal writer's thread, which owns the pending
 *       set ({@link JournalWriter#inspect}), then the ACCEPTED record read here, on the admin worker thread, with a
 *       {@link BodiesReader} opened for the call (never on an event loop: reading maps the record's pages), and
 *       the final recipients' outcomes and the deferred ones' last replies searched back in {@code state/}
 *       ({@link OutcomeLookup}, {@link DeferredReplyLookup}, bounded);
 *       rendered by {@link InspectJson}.</li>
 * </ul>
 *
 * <p>Threading: called on the admin worker thread; nothing here touches another stage's private state. Stages that
 * start after the admin endpoint (the SMTP server) are reached through suppliers and reported as absent until then.
 */
final class AdminApiBinding implements AdminApi {
    /** How long queue and inspect wait for the scheduler's snapshot or the journal writer's copy. */
    static final long ANSWER_MS = 3_000;
    /** How far back in {@code state/} inspect looks for final recipients' OUTCOMEs (tens of ms). */
    static final int OUTCOME_SEARCH_RECORDS = 200_000;

    private final SettingsHolder settings;
    private final Journal journal;
    private final JournalWriter writer;
    private final PendingSet pending;
    private final Scheduler scheduler;
    private final Supplier<SmtpServer> smtp;
    private final long startedMillis;
    private final ResolverHealth dns;

    AdminApiBinding(SettingsHolder settings, Journal journal, JournalWriter writer, PendingSet pending,
                    Scheduler scheduler, Supplier<SmtpServer> smtp, long startedMillis, ResolverHealth dns) {
        this.dns = dns;
        this.settings = settings;
        this.journal = journal;
        this.writer = writer;
        this.pending = pending;
        this.scheduler = scheduler;
        this.smtp = smtp;
        this.startedMillis = startedMillis;
    }

    @Override
    public String status() {
        long now = System.currentTimeMillis();
        String version = Daemon.class.getPackage().getImplementationVersion();
        StringBuilder out = new StringBuilder(512).append("{\"version\":");
        JsonText.string(out, version == null ? "development build" : version);
        out.append(",\"started_millis\":").append(startedMillis)
                .append(",\"uptime_seconds\":").append(Math.max(0, now - startedMillis) / 1_000)
                .append(",\"listeners\":[");
        SmtpServer server = smtp.get();
        List<ListenerSettings> listeners = settings.current().listeners();
        for (int i = 0; i < listeners.size(); i++) {
            ListenerSettings l = listeners.get(i);
            out.append(i == 0 ? "" : ",").append("{\"name\":");
            JsonText.string(out, l.name()).append(",\"address\":");
            JsonText.string(out, l.address());
            out.append(",\"port\":").append(server == null ? l.port() : boundPort(server, i, l.port()))
                    .append(",\"tls\":\"").append(l.tls().name().toLowerCase(java.util.Locale.ROOT)).append("\"}");
        }
        SchedulerCounters c = scheduler.counters();
        out.append("],\"queue\":{\"pending_messages\":").append(pending.pendingMessages())
                .append(",\"pending_recipients\":").append(pending.pendingRecipients())
                .append(",\"scheduled\":").append(c.scheduledRecipients())
                .append(",\"ready\":").append(c.readyRecipients())
                .append(",\"in_flight\":").append(c.inFlightRecipients())
                .append(",\"held\":").append(c.heldRecipients())
                .append(",\"suspended\":").append(c.suspendedRecipients())
                .append(",\"dead_sites\":").append(c.deadSites())
                .append("},\"journal\":{\"dir\":");
        JsonText.string(out, journal.dir().toString());
        out.append(",\"bodies_bytes\":").append(journal.diskBytes("bodies"))
                .append(",\"state_bytes\":").append(journal.diskBytes("state"))
                .append(",\"events_bytes\":").append(journal.diskBytes("events"))
                .append(",\"free_bytes\":").append(journal.freeBytes())
                .append("},\"dns\":{\"resolvers\":[");
        List<String> servers = dns.servers();
        for (int i = 0; i < servers.size(); i++) {
            JsonText.string(out.append(i == 0 ? "" : ","), servers.get(i));
        }
        out.append("],\"source\":");
        JsonText.string(out, dns.source());
        String failure = dns.failure();
        out.append(",\"failing\":").append(failure != null).append(",\"failure\":");
        if (failure == null) {
            out.append("null");
        } else {
            JsonText.string(out, failure);
        }
        out.append(",\"failing_since_millis\":").append(dns.failingSinceMillis())
                .append("},\"connections_open\":").append(server == null ? 0 : server.openConnections())
                .append(",\"sources\":[");
        List<io.sluice.config.SourceSettings> sources = settings.current().egress().sources();
        for (int i = 0; i < sources.size(); i++) {
            io.sluice.config.SourceSettings s = sources.get(i);
            boolean usable = s.address() == null || s.address().isEmpty() || LocalAddresses.isLocal(s.address());
            out.append(i == 0 ? "" : ",").append("{\"name\":");
            JsonText.string(out, s.name()).append(",\"address\":");
            JsonText.string(out, s.address() == null || s.address().isEmpty() ? null : s.address())
                    .append(",\"ehlo_name\":");
            JsonText.string(out, s.ehloName()).append(",\"state\":\"")
                    .append(usable ? "ok" : "suspended: address on no local interface").append("\"}");
        }
        out.append("],\"smarthosts\":[");
        List<io.sluice.scheduler.SmarthostStatus> smarthosts = scheduler.smarthosts();
        for (int i = 0; i < smarthosts.size(); i++) {
            io.sluice.scheduler.SmarthostStatus h = smarthosts.get(i);
            out.append(i == 0 ? "" : ",").append("{\"name\":");
            JsonText.string(out, h.name()).append(",\"host\":");
            JsonText.string(out, h.host()).append(",\"port\":").append(h.port()).append(",\"state\":");
            JsonText.string(out, h.state()).append(",\"failures\":").append(h.failures())
                    .append(",\"next_probe_millis\":").append(h.nextProbeAtMillis())
                    .append(",\"opened\":").append(h.opened()).append(",\"closed\":").append(h.closed())
                    .append(",\"unresolved\":");
            JsonText.string(out, h.unresolved()).append('}');
        }
        out.append("],\"shaping\":{\"file\":");
        io.sluice.config.ShapingSettings shaping = settings.current().shaping();
        JsonText.string(out, shaping.file() == null ? null : shaping.file().toString()).append(",\"overrides\":");
        JsonText.string(out, shaping.overrides() == null ? null : shaping.overrides().toString())
                .append(",\"actions\":");
        ShapingJson.actions(out, scheduler.shapingState()).append(",\"out_of_rotation\":[");
        String comma = "";
        for (io.sluice.scheduler.SourceRotation r : scheduler.rotation()) {
            out.append(comma).append("{\"source\":");
            JsonText.string(out, r.source()).append(",\"provider\":");
            JsonText.string(out, r.provider()).append(",\"until_millis\":").append(r.untilMillis())
                    .append(",\"deferral_rate\":").append(r.deferralRate()).append(",\"block_rate\":")
                    .append(r.blockRate()).append('}');
            comma = ",";
        }
        out.append("]}}");
        return out.toString();
    }

    @Override
    public String warmup() {
        io.sluice.config.ShapingSettings.Rules rules = settings.current().shaping().rules();
        StringBuilder out = new StringBuilder(512).append("{\"max_deferral_rate\":")
                .append(rules == null ? io.sluice.config.ShapingSettings.Rules.MAX_DEFERRAL_RATE : rules.maxDeferralRate())
                .append(",\"max_block_rate\":")
                .append(rules == null ? io.sluice.config.ShapingSettings.Rules.MAX_BLOCK_RATE : rules.maxBlockRate())
                .append(",\"sources\":[");
        String comma = "";
        for (io.sluice.scheduler.WarmupState.Source s : scheduler.warmupState().sources()) {
            out.append(comma).append("{\"source\":");
            JsonText.string(out, s.source()).append(",\"schedule\":");
            JsonText.string(out, s.schedule()).append(",\"start\":");
            JsonText.string(out, s.start()).append(",\"day\":").append(s.day())
                    .append(",\"complete\":").append(s.complete()).append(",\"utc_day\":");
            JsonText.string(out, java.time.LocalDate.ofEpochDay(s.utcDay()).toString())
                    .append(",\"attempts\":").append(s.attempts()).append(",\"deferred\":").append(s.deferred())
                    .append(",\"blocked\":").append(s.blocked()).append(",\"providers\":[");
            java.util.Set<String> names = new java.util.TreeSet<>(s.caps().keySet());
            names.addAll(s.sent().keySet());
            String c2 = "";
            for (String p : names) {
                out.append(c2).append("{\"provider\":");
                JsonText.string(out, p).append(",\"cap\":").append(s.caps().getOrDefault(p,
                        s.caps().getOrDefault("default", -1L))).append(",\"sent\":")
                        .append(s.sent().getOrDefault(p, 0L)).append('}');
                c2 = ",";
            }
            out.append("]}");
            comma = ",";
        }
        return out.append("]}").toString();
    }

    @Override
    public CompletableFuture<String> shaping(String domain) {
        return ShapingReport.of(settings.current(), domain, scheduler.shapingState());
    }

    /** Waits here, on the admin worker, so rendering never runs on the scheduler thread that completes it. */
    @Override
    public CompletableFuture<String> queue(String domain, int limit) {
        try {
            QueueSnapshot snapshot = scheduler.requestSnapshot(domain, limit).get(ANSWER_MS, TimeUnit.MILLISECONDS);
            String json = QueueJson.render(snapshot, domain);
            StringBuilder withActions = new StringBuilder(json.length() + 256).append(json, 0, json.length() - 1)
                    .append(",\"shaping_actions\":");
            return CompletableFuture.completedFuture(ShapingJson.actions(withActions, scheduler.shapingState())
                    .append('}').toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("no answer within " + ANSWER_MS
                    + " ms (the stage is busy or stopping)"));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<String> inspect(long id) {
        try {
            PendingView view = writer.inspect(id).get(ANSWER_MS, TimeUnit.MILLISECONDS);
            if (view == null) {
                return CompletableFuture.completedFuture(null);
            }
            AcceptedRecord accepted = new AcceptedRecord();
            boolean found;
            try (BodiesReader reader = BodiesReader.open(journal)) {
                found = reader.read(id, view.bodiesIndex(), accepted, null);
            }
            int finals = (int) view.recipients().stream().filter(r -> !r.pending()).count();
            Map<Integer, OutcomeCode> outcomes = OutcomeLookup.find(journal, id, finals, OUTCOME_SEARCH_RECORDS);
            int deferred = (int) view.recipients().stream().filter(r -> r.pending() && r.attempts() > 0).count();
            Map<Integer, DeferredReplyLookup.LastReply> replies = DeferredReplyLookup.find(journal, id, deferred,
                    OUTCOME_SEARCH_RECORDS);
            return CompletableFuture.completedFuture(InspectJson.render(view, found ? accepted : null, outcomes,
                    replies, Router.compile(settings.current().egress()), System.currentTimeMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("no answer within " + ANSWER_MS
                    + " ms (the stage is busy or stopping)"));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static int boundPort(SmtpServer server, int index, int configured) {
        int bound = server.boundPort(index);
        return bound < 0 ? configured : bound; // not bound (yet)
    }
}
