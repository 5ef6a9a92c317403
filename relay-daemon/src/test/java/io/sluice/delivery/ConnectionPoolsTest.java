package io.sluice.delivery;

import static io.sluice.delivery.OutboundFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool registry: one pool per (source, site) key, the key in the slot-free signal, close of all pools. */
class ConnectionPoolsTest {
    record Key(String source, String site) {
    }

    private final OutboundFixture fixture = new OutboundFixture();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private PoolSink sink;

    @AfterEach
    void tearDown() {
        if (sink != null) {
            sink.close();
        }
        timer.shutdownNow();
        fixture.close();
    }

    @Test
    void shouldKeepOnePoolPerKeyAndCloseThemAll() throws Exception {
        sink = new PoolSink("127.0.0.2");
        OutboundConnector connector = fixture.connector(ConnectionPoolTest.limits(2, 100, Duration.ofMinutes(1),
                Duration.ofMinutes(1)));
        ConnectionPools<Key> pools = new ConnectionPools<>(k -> connector, timer, new ConnectionPools.Limits<>() {
            @Override
            public int connections(Key key) {
                return key.site().equals("a.test") ? 1 : 3;
            }

            @Override
            public int deliveriesPerConnection(Key key) {
                return 100;
            }
        });
        Key a = new Key("default", "a.test");
        Key b = new Key("default", "b.test");

        ConnectionPool poolA = pools.pool(a);
        assertThat(pools.pool(new Key("default", "a.test"))).isSameAs(poolA);
        assertThat(pools.pool(b)).isNotSameAs(poolA);
        await(poolA.acquire(sink.address(), sink.name())).release();
        await(pools.pool(b).acquire(sink.address(), sink.name())).release();

        assertThat(poolA.available()).as("the path policy's cap for a.test").isEqualTo(1);
        assertThat(pools.pool(b).available()).isEqualTo(3);
        assertThat(pools.size()).isEqualTo(2);
        assertThat(pools.openConnections()).isEqualTo(2);

        pools.close().get();

        assertThat(pools.size()).isZero();
        assertThat(poolA.open()).isZero();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sink.ended.get() == 2);
        assertThatThrownBy(() -> pools.pool(a)).isInstanceOf(IllegalStateException.class);
    }
}
