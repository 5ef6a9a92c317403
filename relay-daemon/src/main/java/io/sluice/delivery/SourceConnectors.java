package io.sluice.delivery;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.sluice.config.DeliverySettings;
import io.sluice.config.EgressSettings;
import io.sluice.config.SmarthostSettings;
import io.sluice.config.SourceSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link OutboundConnector} per source ({@code sources[]}): the delivery settings with that source's local
 * address and EHLO name ({@link DeliverySettings#forSource}), so every connection of a (source, site) pool binds to
 * its source and greets as it. Made on first use; {@link #reload} hands every existing connector its new settings
 * (new connections use them; a source that left the config keeps its last settings for the mail still in flight
 * on it). Towards a smarthost there is one connector per (source, smarthost), with the smarthost's port, TLS and
 * AUTH login ({@link #connector(String, String)}); a reload reads the password files again. A direct path whose
 * shaping gives another TLS policy or idle timeout (a provider with {@code tls: required}) gets a connector per such
 * variant of its source ({@link #connector(String, DeliverySettings.OutboundTls, java.time.Duration)}).
 *
 * <p>Thread-safe: {@link #connector} from any thread (the pools' factory), {@link #reload} from the reload thread;
 * making a connector and a reload hold one lock, so no connector is made from a half-applied reload.
 */
public final class SourceConnectors {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final OpportunisticTls trust;
    private final Map<String, OutboundConnector> bySource = new ConcurrentHashMap<>();
    private final Map<SmarthostKey, OutboundConnector> bySmarthost = new ConcurrentHashMap<>();
    private final Map<ShapedKey, OutboundConnector> byShape = new ConcurrentHashMap<>();

    /** A (source, smarthost) pair. */
    private record SmarthostKey(String source, String smarthost) {
    }

    /** A source on a shaped path whose TLS or idle timeout differs from delivery's (conf/shaping.yaml). */
    private record ShapedKey(String source, DeliverySettings.OutboundTls tls, java.time.Duration idleTimeout) {
    }
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

    /** The names of the configured sources (the settings of the last reload), in file order. */
    public synchronized java.util.List<String> sourceNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (SourceSettings s : egress.sources()) {
            names.add(s.name());
        }
        return names;
    }

    /** The connector of source {@code name} (a lock-free lookup once it exists). */
    public OutboundConnector connector(String name) {
        OutboundConnector c = bySource.get(name);
        return c != null ? c : create(name);
    }

    /**
     * The connector of source {@code source} towards smarthost {@code smarthost} ({@code smarthosts[].name}): the
     * source's address and EHLO name, the smarthost's port and TLS, and its AUTH login; null {@code smarthost} is
     * {@link #connector(String)}.
     */
    public OutboundConnector connector(String source, String smarthost) {
        if (smarthost == null) {
            return connector(source);
        }
        OutboundConnector c = bySmarthost.get(new SmarthostKey(source, smarthost));
        return c != null ? c : create(new SmarthostKey(source, smarthost));
    }

    /**
     * The connector of source {@code source} on a direct (MX) path with the path policy's {@code tls} and
     * {@code idleTimeout}: {@link #connector(String)} when they are delivery's, else one per such variant.
     */
    public OutboundConnector connector(String source, DeliverySettings.OutboundTls tls,
                                       java.time.Duration idleTimeout) {
        DeliverySettings d;
        synchronized (this) {
            d = delivery;
        }
        if (tls == d.tls() && idleTimeout.equals(d.idleTimeout())) {
            return connector(source);
        }
        ShapedKey key = new ShapedKey(source, tls, idleTimeout);
        OutboundConnector c = byShape.get(key);
        return c != null ? c : create(key);
    }

    private synchronized OutboundConnector create(ShapedKey key) {
        return byShape.computeIfAbsent(key, k -> new OutboundConnector(group, channelClass,
                settingsOf(k.source()).shaped(k.tls(), k.idleTimeout()), null, trust));
    }

    private synchronized OutboundConnector create(String name) {
        return bySource.computeIfAbsent(name, n -> new OutboundConnector(group, channelClass, settingsOf(n), null,
                trust));
    }

    private synchronized OutboundConnector create(SmarthostKey key) {
        return bySmarthost.computeIfAbsent(key, k -> {
            OutboundConnector c = new OutboundConnector(group, channelClass, settingsOf(k), null, trust);
            c.login(loginOf(k.smarthost()));
            return c;
        });
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
        byShape.forEach((key, connector) -> {
            if (nextEgress.source(key.source()) != null) {
                connector.settings(settingsOf(key.source()).shaped(key.tls(), key.idleTimeout()));
            }
        });
        bySmarthost.forEach((key, connector) -> {
            if (nextEgress.smarthost(key.smarthost()) != null) {
                connector.settings(settingsOf(key));
                connector.login(loginOf(key.smarthost()));
            }
        });
    }

    /** As {@link #settingsOf(String)}, towards the smarthost's port with its TLS. */
    private DeliverySettings settingsOf(SmarthostKey key) {
        DeliverySettings base = settingsOf(key.source());
        SmarthostSettings s = egress.smarthost(key.smarthost());
        if (s == null) {
            return base;
        }
        // With AUTH the session must be protected anyway (no password in clear text), so opportunistic is required:
        // a failed handshake must not turn into a clear-text retry remembered for an hour, which AUTH would refuse.
        return base.towardsSmarthost(s.port(), switch (s.tls()) {
            case NONE -> DeliverySettings.OutboundTls.NONE;
            case OPPORTUNISTIC -> s.auth() != null ? DeliverySettings.OutboundTls.REQUIRED
                    : DeliverySettings.OutboundTls.OPPORTUNISTIC;
            case REQUIRED -> DeliverySettings.OutboundTls.REQUIRED;
            case VERIFY -> DeliverySettings.OutboundTls.VERIFY;
        });
    }

    /** The smarthost's login (its password file read now), or null without {@code auth}. */
    private SmtpLogin loginOf(String smarthost) {
        SmarthostSettings s = egress.smarthost(smarthost);
        return s == null || s.auth() == null ? null : SmtpLogin.read(s.auth().username(), s.auth().passwordFile());
    }

    /** The delivery settings as source {@code name} sends; the plain settings for a name not configured. */
    private DeliverySettings settingsOf(String name) {
        DeliverySettings base = delivery;
        SourceSettings source = egress.source(name);
        return source == null ? base : base.forSource(source.address(), source.ehloName());
    }
}
