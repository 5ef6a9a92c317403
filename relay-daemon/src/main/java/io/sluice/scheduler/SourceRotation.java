package io.sluice.scheduler;

/**
 * A source out of rotation for a provider ({@link SourceHealth}), as {@code status} and the metrics show it.
 *
 * @param source       the source
 * @param provider     the provider ({@code default} for sites no provider matches)
 * @param untilMillis  when its probe may go (epoch ms)
 * @param deferralRate the deferred share of its window when it left
 * @param blockRate    the blocked share of its window when it left
 */
public record SourceRotation(String source, String provider, long untilMillis, double deferralRate,
                             double blockRate) {
}
