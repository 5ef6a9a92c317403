package io.sluice.daemon;

import io.sluice.config.ConfigException;
import io.sluice.config.ReloadOutcome;
import io.sluice.config.RestartRequired;
import io.sluice.config.Settings;
import io.sluice.config.SettingsHolder;
import io.sluice.config.SettingsLoader;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload ({@code sluice reload}, SIGHUP, {@code POST /admin/reload}): all or nothing.
 *
 * <p>Steps: read and validate the running snapshot's source file again with {@link SettingsLoader} (the code
 * {@code sluice check-config} runs); compare with the running snapshot ({@link RestartRequired}); let the stages
 * that hold their own copies prepare (the {@link Preparer}: TLS contexts are built from the files now, the token
 * file is read); only when all of that passed, swap the {@link SettingsHolder} and run the prepared apply step.
 * Anything that fails before the swap leaves the running configuration exactly as it was: an invalid file gives its
 * {@code <file>:<line>: <key>: <problem>} lines, a change that needs a restart gives its keys and applies nothing
 * (not even the reloadable part, so the running state always matches one whole file).
 *
 * <p>What applies where: readers of the holder (ingress sessions, connection limits, back-pressure) see the new
 * snapshot from their next session or decision; the apply step hands the rest to the parts with their own copies.
 * Sessions and connections already open keep the snapshot they started with: nothing is dropped.
 *
 * <p>Threading: {@link #reload} is synchronized, so a SIGHUP and an admin request never interleave; it blocks for
 * the file read and the TLS builds (milliseconds), so callers run it off the event loops. Logs every outcome.
 */
final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** Builds what a new snapshot needs outside the holder; returns the step that installs it. */
    @FunctionalInterface
    interface Preparer {
        /**
         * @return the apply step, run right after the swap; must not fail
         * @throws Exception with a message naming the file and key when {@code next} cannot be applied
         */
        Runnable prepare(Settings next) throws Exception;
    }

    private final SettingsHolder holder;
    private final Preparer preparer;

    ConfigReloader(SettingsHolder holder, Preparer preparer) {
        this.holder = holder;
        this.preparer = preparer;
    }

    synchronized ReloadOutcome reload() {
        Settings running = holder.current();
        Path file = running.source();
        ReloadOutcome outcome;
        if (file == null) {
            outcome = ReloadOutcome.invalid(List.of(
                    "reload: the running settings were not read from a file, so there is nothing to read again"));
        } else {
            outcome = reload(running, file);
        }
        log(file, outcome);
        return outcome;
    }

    private ReloadOutcome reload(Settings running, Path file) {
        Settings next;
        try {
            next = SettingsLoader.load(file);
        } catch (ConfigException e) {
            return ReloadOutcome.invalid(e.errors());
        }
        List<String> restart = RestartRequired.keys(running, next);
        if (!restart.isEmpty()) {
            return ReloadOutcome.needsRestart(restart);
        }
        Runnable apply;
        try {
            apply = preparer.prepare(next);
        } catch (Exception e) {
            return ReloadOutcome.invalid(List.of(file + ": " + e.getMessage()));
        }
        holder.swap(next);
        apply.run();
        return ReloadOutcome.success();
    }

    private static void log(Path file, ReloadOutcome outcome) {
        if (outcome.applied()) {
            LOG.info("config reloaded from {}", file);
        } else {
            LOG.warn("config reload refused, the running config stays in force:\n  {}",
                    String.join("\n  ", outcome.lines()));
        }
    }
}
