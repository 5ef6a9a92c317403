package io.sluice.smtp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.smtp.server.auth.FairShareQueue.Admission;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fair-share rules of the verifier's queue: per-client ceiling, displacement when full, round-robin dispatch. */
class FairShareQueueTest {

    private static final ClientKey A = key("192.0.2.1");
    private static final ClientKey B = key("192.0.2.2");
    private static final ClientKey C = key("192.0.2.3");
    private static final ClientKey D = key("2001:db8::1");

    /** Recent failures per client, as the throttle would report them. */
    private final Map<ClientKey, Integer> strikes = new HashMap<>();

    private static ClientKey key(String literal) {
        try {
            return ClientKey.of(InetAddress.getByName(literal));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private FairShareQueue<String> queue(int capacity, int maxPerClient) {
        return new FairShareQueue<>(capacity, maxPerClient, k -> strikes.getOrDefault(k, 0));
    }

    private static Admission offer(FairShareQueue<String> queue, ClientKey key, String item) {
        return queue.offer(key, item).admission();
    }

    private static List<String> pollAll(FairShareQueue<String> queue) {
        List<String> order = new ArrayList<>();
        for (String item = queue.poll(); item != null; item = queue.poll()) {
            order.add(item);
        }
        return order;
    }

    @Test
    void shouldDispatchRoundRobinByClientSoANewcomerWaitsBehindOneCheckOfEachOther() {
        FairShareQueue<String> queue = queue(10, 8);
        offer(queue, A, "a1");
        offer(queue, A, "a2");
        offer(queue, A, "a3");
        offer(queue, B, "b1");
        offer(queue, C, "c1");

        assertThat(pollAll(queue)).containsExactly("a1", "b1", "c1", "a2", "a3");
        assertThat(queue.size()).isZero();
    }

    @Test
    void shouldRefuseAClientAtItsCeilingCountingRunningChecksButNotTheOthers() {
        FairShareQueue<String> queue = queue(10, 2);
        assertThat(offer(queue, A, "a1")).isEqualTo(Admission.QUEUED);
        assertThat(offer(queue, A, "a2")).isEqualTo(Admission.QUEUED);

        assertThat(offer(queue, A, "a3")).isEqualTo(Admission.REJECTED);
        assertThat(offer(queue, B, "b1")).isEqualTo(Admission.QUEUED);
        assertThat(queue.poll()).isEqualTo("a1");
        assertThat(offer(queue, A, "a3")).as("a running check still counts").isEqualTo(Admission.REJECTED);
        queue.done(A);
        assertThat(queue.load(A)).isEqualTo(1);
        assertThat(offer(queue, A, "a3")).isEqualTo(Admission.QUEUED);
    }

    @Test
    void shouldDisplaceTheNewestCheckOfTheHeaviestClientWhenFull() {
        FairShareQueue<String> queue = queue(4, 8);
        for (int i = 1; i <= 4; i++) {
            assertThat(offer(queue, A, "a" + i)).isEqualTo(Admission.QUEUED);
        }

        FairShareQueue.Result<String> newcomer = queue.offer(B, "b1");

        assertThat(newcomer.admission()).isEqualTo(Admission.DISPLACED);
        assertThat(newcomer.displaced()).isEqualTo("a4");
        assertThat(offer(queue, A, "a5")).as("the heaviest client pays for its own excess").isEqualTo(Admission.REJECTED);
        assertThat(offer(queue, C, "c1")).isEqualTo(Admission.DISPLACED);
        assertThat(queue.size()).isEqualTo(4);
        assertThat(pollAll(queue)).containsExactly("a1", "b1", "c1", "a2");
    }

    @Test
    void shouldNeverDisplaceASingleWaitingCheckOfAPeerWithAsManyFailures() {
        FairShareQueue<String> queue = queue(2, 8);
        offer(queue, A, "a1");
        offer(queue, B, "b1");

        assertThat(offer(queue, C, "c1")).isEqualTo(Admission.REJECTED);
        assertThat(pollAll(queue)).containsExactly("a1", "b1");
    }

    @Test
    void shouldLetAClientWithoutRecentFailuresDisplaceOneWithFailuresAndNeverTheReverse() {
        FairShareQueue<String> queue = queue(2, 8);
        strikes.put(A, 1);
        offer(queue, A, "a1");
        offer(queue, B, "b1");

        FairShareQueue.Result<String> clean = queue.offer(C, "c1");
        assertThat(clean.admission()).isEqualTo(Admission.DISPLACED);
        assertThat(clean.displaced()).isEqualTo("a1");

        strikes.put(D, 3);
        assertThat(offer(queue, D, "d1")).as("failures rank before load").isEqualTo(Admission.REJECTED);
        assertThat(offer(queue, A, "a2")).isEqualTo(Admission.REJECTED);
        assertThat(pollAll(queue)).containsExactly("b1", "c1");
    }

    @Test
    void shouldDisplaceTheClientWithTheMostFailuresFirst() {
        FairShareQueue<String> queue = queue(3, 8);
        strikes.put(A, 1);
        strikes.put(B, 4);
        offer(queue, A, "a1");
        offer(queue, A, "a2");
        offer(queue, B, "b1");

        assertThat(queue.offer(C, "c1").displaced()).isEqualTo("b1");
        assertThat(queue.load(B)).isZero();
        assertThat(pollAll(queue)).containsExactly("a1", "c1", "a2");
    }

    @Test
    void shouldDrainAndRemoveQueuedChecks() {
        FairShareQueue<String> queue = queue(4, 8);
        offer(queue, A, "a1");
        offer(queue, A, "a2");
        offer(queue, B, "b1");
        assertThat(queue.poll()).isEqualTo("a1");

        assertThat(queue.remove(B, "b1")).isTrue();
        assertThat(queue.remove(B, "b1")).isFalse();
        assertThat(queue.drain()).containsExactly("a2");
        assertThat(queue.size()).isZero();
        assertThat(queue.load(A)).as("the running check stays counted").isEqualTo(1);
        queue.done(A);
        assertThat(queue.load(A)).isZero();
        assertThat(queue.poll()).isNull();
    }
}
