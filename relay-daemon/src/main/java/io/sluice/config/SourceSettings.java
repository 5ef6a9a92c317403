package io.sluice.config;

/**
 * One outbound identity ({@code sources[]} in sluice.yaml): the local address a delivery connection is made from and
 * the name it gives in EHLO.
 *
 * @param name             unique name; pools refer to it ({@code name})
 * @param address          local IP literal to bind ({@code address}), never resolved; null = the kernel chooses.
 *                         When omitted it is {@code delivery.bind_address}
 * @param ehloName         host name sent in EHLO/HELO ({@code ehlo_name}, default {@code delivery.ehlo_name})
 * @param addressInherited true when {@code address} comes from {@code delivery.bind_address} (the source omits it,
 *                         or the file has no {@code sources}), so messages about it name that key
 * @param warmup           the source's warm-up ({@code warmup}: a schedule of conf/shaping.yaml and its first day),
 *                         or null for a source that is warm
 */
public record SourceSettings(String name, String address, String ehloName, boolean addressInherited,
                             Warmup warmup) {

    /** A source without warm-up. */
    public SourceSettings(String name, String address, String ehloName, boolean addressInherited) {
        this(name, address, ehloName, addressInherited, null);
    }

    /**
     * A source's warm-up ({@code sources[].warmup}).
     *
     * @param schedule {@code warmup.schedules[].name} in the shaping rules
     * @param start    day 1 of the schedule (a UTC date)
     * @param where    {@code file:line: sources[i].warmup.schedule} for a problem found once the shaping rules are read
     */
    public record Warmup(String schedule, java.time.LocalDate start, String where) {
    }

    /** The name of the source made from {@code delivery.*} when the file has no {@code sources}. */
    public static final String DEFAULT_NAME = "default";
}
