package io.sluice.cli;

import io.sluice.config.ConfigException;
import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import io.sluice.daemon.Daemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code sluice run [-c FILE]} (config found as {@link ConfigLocation} says): runs the daemon in the foreground until SIGTERM or SIGINT, then stops in order
 * (see {@link Daemon#shutdown}) and exits 0. SIGHUP reloads the config file ({@link Daemon#reload}). An invalid
 * config or a failed start exits 1 with the reason; a journal writer failure (e.g. the disk filled under a mapped
 * page) stops the daemon with exit status 75 ({@link Daemon#EXIT_JOURNAL_FAILED}) so that systemd restarts it.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the Sluice daemon in the foreground.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static volatile boolean running;

    @Mixin
    ConfigLocation location;

    static boolean isRunning() {
        return running;
    }

    @Override
    public Integer call() throws Exception {
        Path config = location.path();
        Settings settings;
        try {
            settings = SettingsLoader.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
        // The handlers go in before the daemon starts: "sluice ready" is logged inside Daemon.start, and a SIGTERM
        // that a service manager sends right after it must stop the daemon in order, not kill the JVM (exit 143).
        // One signal during the start stops the daemon as soon as it has started; a second one exits at once.
        AtomicReference<Daemon> started = new AtomicReference<>();
        AtomicBoolean stopAsked = new AtomicBoolean();
        Runnable stop = () -> {
            boolean again = stopAsked.getAndSet(true);
            Daemon d = started.get();
            if (d != null) {
                new Thread(d::shutdown, "sluice-shutdown").start();
            } else if (again) {
                System.exit(143); // a second signal while it still starts (a hung recovery): do not wait for it
            }
        };
        Signal.handle(new Signal("TERM"), signal -> stop.run());
        Signal.handle(new Signal("INT"), signal -> stop.run());
        // SIGHUP = sluice reload (the daemon logs the outcome); off the signal thread, reloads read files. One during
        // the start is ignored (the file is read once the start is done anyway).
        Signal.handle(new Signal("HUP"), signal -> {
            Daemon d = started.get();
            if (d != null) {
                new Thread(() -> d.reload("sighup"), "sluice-reload").start();
            }
        });
        Daemon daemon;
        try {
            daemon = Daemon.start(settings);
        } catch (Exception e) {
            spec.commandLine().getErr().println("sluice: cannot start: " + e.getMessage());
            LogManager.shutdown();
            return 1;
        }
        running = true;
        started.set(daemon);
        if (stopAsked.get()) {
            stop.run(); // a signal came while it started
        }
        daemon.awaitShutdown();
        LogManager.shutdown();
        running = false;
        return daemon.exitStatus(); // non-zero after a journal failure: the service manager restarts sluice
    }
}
