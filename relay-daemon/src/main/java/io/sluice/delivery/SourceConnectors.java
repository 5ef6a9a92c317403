package io.sluice.delivery;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.sluice.config.DeliverySettings;
import io.sluice.config.EgressSettings;
import io.sluice.config.SourceSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link OutboundConnector} per source ({@code sources[]}): the delivery settings with that source's local
 * address and EHLO name ({@link DeliverySettings#forSource}), so every connection of a (source, site) pool binds to
 * its source and greets as it. Made on first use; {@link #reload} hands every existing connector its new settings
 * (new connections use them; a source that left the config keeps its last settings for the mail still in flight
 * on it).
 *
 * <p>Thread-safe: {@link #connector} from any thread (the pools' factory), {@link #reload} from the reload thread;
 * making a connector and a reload hold one lock, so no connector is made from a half-applied reload.
 */
public final class SourceConnectors {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final OpportunisticTls trust;
    private final Map<String, OutboundConnector> bySource = new ConcurrentHashMap<>();
    /** Guarded by {@code this}: a connector is made, and a reload applied, one at a time. */
    private DeliverySettings delivery;
    private EgressSettings egress;

    public SourceConnectors(EventLoopGroup group, Class<? extends SocketChannel> channelClass,
                            DeliverySettings delivery, EgressSettings egress, OpportunisticTls trust) {
        this.group = group;
        this.channelClass = channelClass;
        this.delivery = delivery;
        this.egress = egress;
        this.trust = trust;
    }

    /** The connector of source {@code name} (a lock-free lookup once it exists). */
    public OutboundConnector connector(String name) {
        OutboundConnector c = bySource.get(name);
        return c != null ? c : create(name);
    }

    private synchronized OutboundConnector create(String name) {
        return bySource.computeIfAbsent(name, n -> new OutboundConnector(group, channelClass, settingsOf(n), null,
                trust));
    }

    /** New settings for every source's new connections; never interleaves with making a connector. */
    public synchronized void reload(DeliverySettings nextDelivery, EgressSettings nextEgress) {
        this.delivery = nextDelivery;
        this.egress = nextEgress;
        bySource.forEach((name, connector) -> {
            if (nextEgress.source(name) != null) {
                connector.settings(settingsOf(name));
            }
        });
    }

    /** The delivery settings as source {@code name} sends; the plain settings for a name not configured. */
    private DeliverySettings settingsOf(String name) {
        DeliverySettings base = delivery;
        SourceSettings source = egress.source(name);
        return source == null ? base : base.forSource(source.address(), source.ehloName());
    }
}
