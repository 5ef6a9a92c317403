package io.sluice.daemon;

import io.sluice.config.Settings;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The offline side of {@code sluice shaping show --config FILE}: the same report the daemon answers
 * ({@link ShapingReport}), from a config file read by the CLI, without actions (they live in the daemon).
 */
public final class ShapingShow {
    private ShapingShow() {
    }

    /** The report's JSON for {@code domain}; waits for the MX lookup (the config's DNS timeout, at most a minute). */
    public static String offline(Settings settings, String domain)
            throws InterruptedException, ExecutionException, TimeoutException {
        return ShapingReport.of(settings, domain, null).get(1, TimeUnit.MINUTES);
    }
}
