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
 */
public record SourceSettings(String name, String address, String ehloName, boolean addressInherited) {

    /** The name of the source made from {@code delivery.*} when the file has no {@code sources}. */
    public static final String DEFAULT_NAME = "default";
}
