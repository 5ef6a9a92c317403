package io.sluice.scheduler;

import io.sluice.routing.Lane;
import io.sluice.routing.Route;
import io.sluice.routing.Router;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The scheduler's lane registry: each lane name gets a slot number for good (slots are never reused, so a batch's
 * slot stays valid across reloads), and each slot its current weight from the routes ({@link #change}); a lane no
 * route names any more keeps its last weight, so mail still queued in it keeps moving. Scheduler thread only;
 * no allocation per batch ({@link #slot} is a hash lookup by the route's lane name).
 */
final class Lanes {
    private final Map<String, Integer> slots = new HashMap<>();
    private int[] weights = new int[4];
    private int count;

    /** Takes the lanes (and weights) the routes of {@code router} name. */
    void change(Router router) {
        for (Route r : router.routes()) {
            Lane lane = r.lane();
            weigh(lane.name(), lane.weight());
        }
    }

    /** Gives lane {@code name} weight {@code weight} (at least 1). */
    void weigh(String name, int weight) {
        weights[slot(name)] = Math.max(1, weight);
    }

    /** The slot of lane {@code name}, made on first sight (weight 1 until a route gives it one). */
    int slot(String name) {
        Integer slot = slots.get(name);
        if (slot != null) {
            return slot;
        }
        if (count == weights.length) {
            weights = Arrays.copyOf(weights, count * 2);
        }
        weights[count] = 1;
        slots.put(name, count);
        return count++;
    }

    /** The slot of the lane of {@code route}. */
    int slotOf(Route route) {
        return slot(route.lane().name());
    }

    int weight(int slot) {
        return weights[slot];
    }

    /** Slots made so far. */
    int count() {
        return count;
    }
}
