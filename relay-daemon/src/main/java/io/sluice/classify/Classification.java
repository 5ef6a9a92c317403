package io.sluice.classify;

import io.sluice.model.BounceReason;

/**
 * A classifier's verdict on one reply or DSN diagnostic.
 *
 * @param reason why it failed (Sisimai's taxonomy)
 * @param hard   true when the address itself is bad and should be suppressed once the message bounces; it never
 *               makes a 4xx final: retrying follows the reply class
 * @param rule   the name of the rule that decided, or {@code fallback} / {@code status-class}
 */
public record Classification(BounceReason reason, boolean hard, String rule) {
}
