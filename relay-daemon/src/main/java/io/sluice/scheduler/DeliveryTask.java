package io.sluice.scheduler;

import io.sluice.dns.MxHost;
import io.sluice.dns.SiteKey;
import java.util.List;
import java.util.Objects;

/**
 * One delivery attempt the scheduler hands to the {@link Dispatcher}: one message, its recipients at one domain
 * (at most {@code delivery.max_recipients_per_transaction}), and where that domain's mail goes.
 *
 * <p>The scheduler does not know the sender or the body: the delivery stage reads both from the ACCEPTED record at
 * {@link #bodiesIndex()}. Recipient {@code i} of this task is recipient {@link #recipientIndex(int)} of the message
 * (the index OUTCOME and DEFERRED records use). Immutable once built; safe to pass to any thread. (A class with
 * record-style accessors rather than a record, so the scheduler can hand over arrays it built for the task without
 * a second defensive copy; the public constructor still copies.)
 */
public final class DeliveryTask {
    private final long taskId;
    private final long messageId;
    private final long bodiesIndex;
    private final long receivedAtMillis;
    private final String domain;
    private final SiteKey site;
    private final ReadyKey readyKey;
    private final ReadyKey poolKey;
    private final io.sluice.shaping.PathShape shape;
    private final List<MxHost> hosts;
    private final List<String> recipients;
    private final int[] recipientIndexes;
    private final int[] attempts;
    private final boolean probe;
    private final String verpDomain;

    /**
     * @param taskId           scheduler-assigned id; echo it in the {@link TaskResult}
     * @param messageId        journal message id
     * @param bodiesIndex      Chronicle index of the message's ACCEPTED record in {@code bodies/}
     * @param receivedAtMillis when the message was accepted
     * @param domain           destination domain, lower case
     * @param site             the site (MX host set) of the domain; the source is the default one
     * @param hosts            MX hosts in trying order, from DNS
     * @param recipients       recipient addresses, in task order
     * @param recipientIndexes the message's index of each task recipient
     * @param attempts         which attempt this is per task recipient (1 = first try)
     * @param probe            true when the site is dead and this task is its single probe
     */
    public DeliveryTask(long taskId, long messageId, long bodiesIndex, long receivedAtMillis, String domain,
                        SiteKey site, List<MxHost> hosts, List<String> recipients, int[] recipientIndexes,
                        int[] attempts, boolean probe) {
        this(taskId, messageId, bodiesIndex, receivedAtMillis, domain, new ReadyKey(ReadyKey.DEFAULT_SOURCE, site),
                null, null, List.copyOf(hosts), List.copyOf(recipients), recipientIndexes.clone(), attempts.clone(),
                probe, null);
    }

    /**
     * Takes the lists (immutable) and arrays (not shared with anyone) as they are: the scheduler's path.
     * {@code verpDomain}: the route's VERP domain, or null.
     */
    DeliveryTask(long taskId, long messageId, long bodiesIndex, long receivedAtMillis, String domain,
                 ReadyKey readyKey, ReadyKey poolKey, io.sluice.shaping.PathShape shape, List<MxHost> hosts,
                 List<String> recipients, int[] recipientIndexes, int[] attempts, boolean probe, String verpDomain) {
        if (recipientIndexes.length != recipients.size() || attempts.length != recipients.size()) {
            throw new IllegalArgumentException("recipient arrays differ in length");
        }
        this.taskId = taskId;
        this.messageId = messageId;
        this.bodiesIndex = bodiesIndex;
        this.receivedAtMillis = receivedAtMillis;
        this.domain = domain;
        this.readyKey = readyKey;
        this.poolKey = poolKey == null ? readyKey : poolKey;
        this.shape = shape;
        this.site = readyKey.site();
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.recipients = recipients;
        this.recipientIndexes = recipientIndexes;
        this.attempts = attempts;
        this.probe = probe;
        this.verpDomain = verpDomain;
    }

    /**
     * The domain of the VERP return path this task's mail leaves with (its route's {@code verp.domain}; such a task
     * has one recipient), or null: the message's own envelope sender.
     */
    public String verpDomain() {
        return verpDomain;
    }

    public long taskId() {
        return taskId;
    }

    public long messageId() {
        return messageId;
    }

    public long bodiesIndex() {
        return bodiesIndex;
    }

    public long receivedAtMillis() {
        return receivedAtMillis;
    }

    public String domain() {
        return domain;
    }

    public SiteKey site() {
        return site;
    }

    /** The ready queue this task came from: source and site; its connection pool's key. */
    public ReadyKey readyKey() {
        return readyKey;
    }

    /**
     * The key of the connection pool it is delivered through: its {@link #readyKey}, or, for a provider that caps
     * connections per source, the pool all the provider's sites share from this source.
     */
    public ReadyKey poolKey() {
        return poolKey;
    }

    /** The path policy's limits and reply rules for its site, or null (a task built outside the scheduler). */
    public io.sluice.shaping.PathShape shape() {
        return shape;
    }

    /** The name of the source that sends it ({@code sources[].name}; {@code default} when none is configured). */
    public String source() {
        return readyKey.source();
    }

    public List<MxHost> hosts() {
        return hosts;
    }

    public List<String> recipients() {
        return recipients;
    }

    public boolean probe() {
        return probe;
    }

    public int recipientCount() {
        return recipients.size();
    }

    /** The message's index of task recipient {@code i}. */
    public int recipientIndex(int i) {
        return recipientIndexes[i];
    }

    /** Which attempt this is for task recipient {@code i} (1 = first try). */
    public int attempt(int i) {
        return attempts[i];
    }

    /** A copy of the message's indexes of the task recipients. */
    public int[] recipientIndexes() {
        return recipientIndexes.clone();
    }

    /** A copy of the attempt numbers per task recipient. */
    public int[] attempts() {
        return attempts.clone();
    }

    @Override
    public String toString() {
        return "DeliveryTask[taskId=" + taskId + ", messageId=" + messageId + ", domain=" + domain + ", site=" + site
                + ", recipients=" + recipients + ", attempts=" + java.util.Arrays.toString(attempts) + ", probe="
                + probe + "]";
    }
}
