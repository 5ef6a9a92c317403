package io.sluice.config;

/**
 * One lane ({@code lanes} in sluice.yaml, a mapping of name to weight): routes put their messages in a lane, and
 * lanes that share a ready queue take turns in proportion to their weights (never strict priority, so no lane
 * starves).
 *
 * @param name   the lane's name; routes refer to it
 * @param weight its share, 1-1000
 */
public record LaneSettings(String name, int weight) {

    /** The lane of a route without {@code lane}; always exists, weight {@value #DEFAULT_WEIGHT} unless set. */
    public static final String DEFAULT_NAME = "default";
    public static final int DEFAULT_WEIGHT = 1;
}
