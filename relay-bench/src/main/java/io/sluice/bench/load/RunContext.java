package io.sluice.bench.load;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * What every slot and session of one run shares: the validated settings, the loopback-checked target, the message
 * schedule, the encoded commands, and the latch each slot counts down once when it is done. Immutable; the parts it
 * holds are thread-safe.
 */
record RunContext(
        LoadSettings settings,
        InetSocketAddress target,
        MessageSchedule schedule,
        WireCommands wire,
        CountDownLatch slotsDone) {
}
