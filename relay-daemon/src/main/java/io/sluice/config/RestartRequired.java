package io.sluice.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compares the running {@link Settings} snapshot with a newly loaded one and lists the keys whose change a live
 * reload cannot apply, by their YAML key paths ({@code listeners[0].port}, {@code journal.dir}). A reload that
 * finds any refuses the whole change (never a partial apply) and reports {@code requires restart: <key>} for each.
 *
 * <p>Which keys a reload applies, and why the others need a restart. "Reload" keys take effect for new sessions
 * (ingress), new connections (outbound) or the next scheduling decision; sessions and connections already open
 * keep the snapshot they started with.
 *
 * <table>
 *   <caption>Keys and reload</caption>
 *   <tr><th>key</th><th>on reload</th><th>why</th></tr>
 *   <tr><td>listeners (added, removed, reordered by name), listeners[i].name, .address, .port, .tls, .role</td>
 *       <td>restart</td><td>sockets are bound once; metrics and contexts are keyed by name; a listener's role
 *       chooses where its sessions hand messages</td></tr>
 *   <tr><td>listeners[i].tls_cert, .tls_key</td><td>reload</td><td>files are read again on every reload (a
 *       renewed certificate at the same path is picked up); new sessions use the new context</td></tr>
 *   <tr><td>listeners[i].relay_networks</td><td>reload</td><td>read per session</td></tr>
 *   <tr><td>listeners[i].auth.*</td><td>restart</td><td>the AUTH verifier (users file, cache, throttle) is built
 *       at start</td></tr>
 *   <tr><td>smtp.hostname</td><td>restart</td><td>also names the DSN generator and the default EHLO name, built
 *       at start</td></tr>
 *   <tr><td>smtp.max_message_size</td><td>restart</td><td>sizes the journal's record blocks</td></tr>
 *   <tr><td>smtp.max_inflight_data_bytes</td><td>restart</td><td>the shared memory budget is sized once</td></tr>
 *   <tr><td>smtp.postmaster_address</td><td>reload</td><td>read per session (new sessions route a bare
 *       {@code <postmaster>} to the new address)</td></tr>
 *   <tr><td>every other smtp.* key</td><td>reload</td><td>read per session or per connection</td></tr>
 *   <tr><td>journal.dir, .sync, .checkpoint_interval, .compact_after</td><td>restart</td><td>the journal and its
 *       writer agent are opened once</td></tr>
 *   <tr><td>journal.min_free</td><td>reload</td><td>checked at every MAIL/RCPT</td></tr>
 *   <tr><td>queue.max_pending_recipients</td><td>reload</td><td>checked at every MAIL/RCPT</td></tr>
 *   <tr><td>queue.restart_spread</td><td>reload (no effect until the next start)</td><td>only used when
 *       recovering after a start</td></tr>
 *   <tr><td>queue.dead_site_*</td><td>restart</td><td>scheduler site health is built once</td></tr>
 *   <tr><td>queue.max_in_flight</td><td>restart</td><td>sizes the scheduler's result queue</td></tr>
 *   <tr><td>admin.*</td><td>restart</td><td>the endpoint and its token are bound at start (the token file is
 *       still validated on every reload)</td></tr>
 *   <tr><td>dns.*</td><td>restart</td><td>the resolver and its cache are built once</td></tr>
 *   <tr><td>delivery.connect_timeout, .greeting_timeout, .command_timeout, .data_initiation_timeout,
 *       .data_block_timeout, .data_termination_timeout</td><td>reload</td><td>new outbound connections</td></tr>
 *   <tr><td>delivery.retry.first, .retry.multiplier, .retry.max, .max_age</td><td>reload</td><td>the scheduler
 *       takes the new retry policy for its next decision (deferral, expiry)</td></tr>
 *   <tr><td>every other delivery.* key</td><td>restart</td><td>port, source address, EHLO name, TLS policy,
 *       connection-pool limits, DSN and dot-timeout policy are fixed in the delivery stage at start</td></tr>
 *   <tr><td>events.*</td><td>restart</td><td>the event log and its tailer are started once</td></tr>
 *   <tr><td>feedback.key_file, .index_days</td><td>restart</td><td>the VERP key and the feedback index are opened
 *       once (feedback.domains reloads: read per RCPT)</td></tr>
 *   <tr><td>web.*</td><td>restart</td><td>the unsubscribe listener is bound once with its limits</td></tr>
 *   <tr><td>mta_sts.*</td><td>restart</td><td>the policy cache and its fetcher are built with the resolver, once
 *       </td></tr>
 * </table>
 *
 * <p>Listeners are matched by position, as the file lists them; a list of another length is reported as
 * {@code listeners}. Pure and stateless; allocation only for the result.
 */
public final class RestartRequired {

    private RestartRequired() {
    }

    /** The keys, in file order, whose values differ between the snapshots and need a restart; empty if none. */
    public static List<String> keys(Settings running, Settings next) {
        List<String> keys = new ArrayList<>();
        listeners(keys, running.listeners(), next.listeners());
        SmtpSettings a = running.smtp();
        SmtpSettings b = next.smtp();
        differ(keys, "smtp.hostname", a.hostname(), b.hostname());
        differ(keys, "smtp.max_message_size", a.maxMessageBytes(), b.maxMessageBytes());
        differ(keys, "smtp.max_inflight_data_bytes", a.maxInflightDataBytes(), b.maxInflightDataBytes());
        journal(keys, running.journal(), next.journal());
        queue(keys, running.queue(), next.queue());
        admin(keys, running.admin(), next.admin());
        dns(keys, running.dns(), next.dns());
        delivery(keys, running.delivery(), next.delivery());
        events(keys, running.events(), next.events());
        differ(keys, "feedback.key_file", running.feedback().keyFile(), next.feedback().keyFile());
        differ(keys, "feedback.index_days", running.feedback().indexDays(), next.feedback().indexDays());
        WebSettings w = running.web();
        WebSettings v = next.web();
        differ(keys, "web.enabled", w.enabled(), v.enabled());
        differ(keys, "web.address", w.address(), v.address());
        differ(keys, "web.port", w.port(), v.port());
        differ(keys, "web.tls_cert", w.tlsCertFile(), v.tlsCertFile());
        differ(keys, "web.tls_key", w.tlsKeyFile(), v.tlsKeyFile());
        differ(keys, "web.max_connections", w.maxConnections(), v.maxConnections());
        differ(keys, "web.max_requests_per_ip", w.maxRequestsPerIp(), v.maxRequestsPerIp());
        MtaStsSettings s = running.mtaSts();
        MtaStsSettings t = next.mtaSts();
        differ(keys, "mta_sts.enabled", s.enabled(), t.enabled());
        differ(keys, "mta_sts.https_port", s.httpsPort(), t.httpsPort());
        differ(keys, "mta_sts.fetch_timeout", s.fetchTimeout(), t.fetchTimeout());
        return keys;
    }

    private static void listeners(List<String> keys, List<ListenerSettings> a, List<ListenerSettings> b) {
        if (a.size() != b.size()) {
            keys.add("listeners");
            return;
        }
        for (int i = 0; i < a.size(); i++) {
            ListenerSettings x = a.get(i);
            ListenerSettings y = b.get(i);
            String at = "listeners[" + i + "].";
            differ(keys, at + "name", x.name(), y.name());
            differ(keys, at + "address", x.address(), y.address());
            differ(keys, at + "port", x.port(), y.port());
            differ(keys, at + "tls", x.tls(), y.tls());
            differ(keys, at + "role", x.role(), y.role());
            AuthSettings p = x.auth();
            AuthSettings q = y.auth();
            differ(keys, at + "auth.enabled", p.enabled(), q.enabled());
            differ(keys, at + "auth.users_file", p.usersFile(), q.usersFile());
            differ(keys, at + "auth.allow_plaintext", p.allowPlaintext(), q.allowPlaintext());
            differ(keys, at + "auth.cache_ttl", p.cacheTtl(), q.cacheTtl());
            differ(keys, at + "auth.max_failures_per_ip", p.maxFailuresPerIp(), q.maxFailuresPerIp());
        }
    }

    private static void journal(List<String> keys, JournalSettings a, JournalSettings b) {
        differ(keys, "journal.dir", a.dir(), b.dir());
        differ(keys, "journal.sync", a.sync(), b.sync());
        differ(keys, "journal.checkpoint_interval", a.checkpointInterval(), b.checkpointInterval());
        differ(keys, "journal.compact_after", a.compactAfter(), b.compactAfter());
    }

    private static void queue(List<String> keys, QueueSettings a, QueueSettings b) {
        differ(keys, "queue.dead_site_failures", a.deadSiteFailures(), b.deadSiteFailures());
        differ(keys, "queue.dead_site_first_probe", a.deadSiteFirstProbe(), b.deadSiteFirstProbe());
        differ(keys, "queue.dead_site_max_probe", a.deadSiteMaxProbe(), b.deadSiteMaxProbe());
        differ(keys, "queue.max_in_flight", a.maxInFlight(), b.maxInFlight());
    }

    private static void admin(List<String> keys, AdminSettings a, AdminSettings b) {
        differ(keys, "admin.enabled", a.enabled(), b.enabled());
        differ(keys, "admin.address", a.address(), b.address());
        differ(keys, "admin.port", a.port(), b.port());
        differ(keys, "admin.token_file", a.tokenFile(), b.tokenFile());
    }

    private static void dns(List<String> keys, DnsSettings a, DnsSettings b) {
        differ(keys, "dns.resolvers", a.resolvers(), b.resolvers());
        differ(keys, "dns.timeout", a.timeout(), b.timeout());
        differ(keys, "dns.max_cache_ttl", a.maxCacheTtl(), b.maxCacheTtl());
        differ(keys, "dns.negative_ttl", a.negativeTtl(), b.negativeTtl());
    }

    private static void delivery(List<String> keys, DeliverySettings a, DeliverySettings b) {
        differ(keys, "delivery.mx_port", a.mxPort(), b.mxPort());
        differ(keys, "delivery.allow_private_mx", a.allowPrivateMx(), b.allowPrivateMx());
        differ(keys, "delivery.ehlo_name", a.ehloName(), b.ehloName());
        differ(keys, "delivery.bind_address", a.bindAddress(), b.bindAddress());
        differ(keys, "delivery.tls", a.tls(), b.tls());
        differ(keys, "delivery.max_recipients_per_transaction", a.maxRecipientsPerMessage(),
                b.maxRecipientsPerMessage());
        differ(keys, "delivery.max_connections_per_site", a.maxConnectionsPerSite(), b.maxConnectionsPerSite());
        differ(keys, "delivery.max_deliveries_per_connection", a.maxDeliveriesPerConnection(),
                b.maxDeliveriesPerConnection());
        differ(keys, "delivery.connection_max_age", a.connectionMaxAge(), b.connectionMaxAge());
        differ(keys, "delivery.idle_timeout", a.idleTimeout(), b.idleTimeout());
        differ(keys, "delivery.dsn", a.dsn(), b.dsn());
        differ(keys, "delivery.assume_delivered_on_dot_timeout", a.assumeDeliveredOnDotTimeout(),
                b.assumeDeliveredOnDotTimeout());
        differ(keys, "delivery.tls_ca_file", a.tlsCaFile(), b.tlsCaFile());
    }

    private static void events(List<String> keys, EventsSettings a, EventsSettings b) {
        differ(keys, "events.log_file", a.logFile(), b.logFile());
        differ(keys, "events.log_max_size", a.logMaxSize(), b.logMaxSize());
        differ(keys, "events.log_max_files", a.logMaxFiles(), b.logMaxFiles());
        differ(keys, "events.max_stream_size", a.maxStreamBytes(), b.maxStreamBytes());
    }

    private static void differ(List<String> keys, String key, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            keys.add(key);
        }
    }
}
