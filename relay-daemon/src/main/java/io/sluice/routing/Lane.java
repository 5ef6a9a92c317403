package io.sluice.routing;

/**
 * The lane a route puts its messages in: lanes that share a ready queue take turns in proportion to their weights.
 *
 * @param name   the lane's name ({@code lanes} key, or {@code default})
 * @param weight its share, 1-1000
 */
public record Lane(String name, int weight) {
}
