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
 * <p>Thread-safe: {@link #connector} from any thread (the pools' factory), {@link #reload} from the reload thread.
 */
public final class SourceConnectors {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final OpportunisticTls trust;
    private final Map<String, OutboundConnector> bySource = new ConcurrentHashMap<>();
    private volatile DeliverySettings delivery;
    private volatile EgressSettings egress;

    public SourceConnectors(EventLoopGroup group, Class<? extends SocketChannel> channelClass,
                            DeliverySettings delivery, EgressSettings egress, OpportunisticTls trust) {
        this.group = group;
        this.channelClass = channelClass;
        this.delivery = delivery;
        this.egress = egress;
        this.trust = trust;
    }

    /** The connector of source {@code name}. */
    public OutboundConnector connector(String name) {
        return bySource.computeIfAbsent(name, n -> new OutboundConnector(group, channelClass, settingsOf(n), null,
                trust));
    }

    /** New settings for every source's new connections. */
    public void reload(DeliverySettings nextDelivery, EgressSettings nextEgress) {
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
