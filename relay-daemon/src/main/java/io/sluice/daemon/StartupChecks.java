package io.sluice.daemon;

import io.sluice.admin.AdminTokenFile;
import io.sluice.admin.BearerToken;
import io.sluice.config.AdminSettings;
import io.sluice.config.ConfigException;
import io.sluice.config.ListenerSettings;
import io.sluice.config.Settings;
import io.sluice.config.SourceSettings;
import io.sluice.smtp.server.ListenerTls;
import io.sluice.smtp.server.auth.UsersFile;
import io.sluice.util.IpLiteral;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon can check about a valid {@link Settings} snapshot before it touches the journal: the one
 * implementation behind both {@link Daemon#start} and {@code sluice check-config}, so a file the command passes is
 * one the daemon accepts.
 *
 * <p>The config loader already checks that named files exist, are readable and (the token) private; these checks
 * read and parse them with the very code that will use them:
 * <ul>
 *   <li>{@link #fileProblems}: the admin token file holds an acceptable token ({@link BearerToken#load}, when the
 *       admin endpoint is enabled), or, when it does not exist yet, could be created ({@link #createTokenFile}
 *       creates it at start, before the other checks; {@link #notes} says so for check-config); each TLS listener's certificate and key build a server context
 *       ({@link ListenerTls}); each AUTH users file parses ({@link UsersFile#load}).</li>
 *   <li>{@link #portProblems}: every SMTP listener address, the admin address and the web listener's can be bound now (a plain socket
 *       with {@code SO_REUSEADDR}, as the real listeners use, bound and closed at once; port 0 is skipped).</li>
 * </ul>
 * Each problem is one line, {@code <config file>: <key>: <problem>}, naming the key and the file it names. (No line
 * number: the snapshot keeps none; the key is unique in the file.)
 *
 * <p>Limits: a port free now can be taken before the daemon binds it; the real bind still fails cleanly, after the
 * journal lock is held, so nothing is delivered twice. Binding a privileged port needs the daemon's privileges, so
 * a port check run as another user (check-config by an admin) can differ. Stateless, thread-safe; touches the file
 * system (reads) and the network stack (binds), nothing else.
 */
public final class StartupChecks {

    private StartupChecks() {
    }

    /** Problems with the files the config names (token, TLS certificate and key, users files); empty when none. */
    public static List<String> fileProblems(Settings settings) {
        List<String> problems = new ArrayList<>();
        AdminSettings admin = settings.admin();
        if (tokenToCreate(settings)) {
            String problem = AdminTokenFile.creationProblem(admin.tokenFile());
            if (problem != null) {
                problems.add(line(settings, "admin.token_file", problem));
            }
        } else if (admin.enabled() && admin.tokenFile() != null) {
            try {
                BearerToken.load(admin.tokenFile());
            } catch (IOException e) {
                problems.add(line(settings, "admin.token_file", e.getMessage()));
            }
        }
        for (int i = 0; i < settings.listeners().size(); i++) {
            ListenerSettings listener = settings.listeners().get(i);
            String tls = ListenerTls.problem(i, listener);
            if (tls != null) {
                problems.add(line(settings, null, tls));
            }
            if (listener.auth().enabled()) {
                try {
                    UsersFile.load(listener.auth().usersFile());
                } catch (IOException e) {
                    problems.add(line(settings, "listeners[" + i + "].auth.users_file", e.getMessage()));
                }
            }
        }
        return problems;
    }

    /** What start will do that is not a problem (a token file to create), one line each; empty when nothing. */
    public static List<String> notes(Settings settings) {
        if (tokenToCreate(settings)) {
            return List.of(line(settings, "admin.token_file", settings.admin().tokenFile()
                    + " does not exist yet; the daemon creates it (random token, mode 0600) at start"));
        }
        return List.of();
    }

    /**
     * Creates the admin token file when the endpoint is enabled and the named file does not exist yet
     * ({@link AdminTokenFile}); the first of the start-up checks, so {@link #requireUsableFiles} then checks the
     * new file like any other.
     *
     * @return the file created, or null when nothing was created
     */
    public static Path createTokenFile(Settings settings) throws ConfigException {
        if (!tokenToCreate(settings)) {
            return null;
        }
        Path file = settings.admin().tokenFile();
        try {
            return AdminTokenFile.createIfMissing(file) ? file : null;
        } catch (IOException e) {
            throw new ConfigException(List.of(line(settings, "admin.token_file", e.getMessage())));
        }
    }

    private static boolean tokenToCreate(Settings settings) {
        AdminSettings admin = settings.admin();
        return admin.enabled() && admin.tokenFile() != null
                && !Files.exists(admin.tokenFile(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Settings that are valid but probably not what the operator wants, one line each as above; empty when none.
     * Today: no {@code smtp.postmaster_address}, so {@code RCPT TO:<postmaster>} is refused although RFC 5321 4.5.1
     * requires accepting it; a source address that no local interface has ({@link LocalAddresses}), so connections
     * bound to it would fail (the daemon will suspend such a source). Not errors: an interface may be brought up
     * after the check, and a reload must not fail because one is down.
     */
    public static List<String> warnings(Settings settings) {
        List<String> warnings = new ArrayList<>();
        if (settings.smtp().postmasterAddress() == null) {
            warnings.add(line(settings, "smtp.postmaster_address", "not set, so RCPT TO:<postmaster> is refused "
                    + "(RFC 5321 4.5.1 requires accepting it): set it to the mailbox that reads mail for this relay"));
        }
        List<SourceSettings> sources = settings.egress().sources();
        for (int i = 0; i < sources.size(); i++) {
            SourceSettings source = sources.get(i);
            if (source.address() != null && !LocalAddresses.isLocal(source.address())) {
                warnings.add(line(settings, source.addressInherited() ? "delivery.bind_address"
                        : "sources[" + i + "].address", "source " + source.name() + ": " + source.address()
                        + " is not assigned to any local interface, so connections cannot be bound to it (the"
                        + " daemon will suspend the source)"));
            }
        }
        return warnings;
    }

    /** Listener and admin addresses that cannot be bound now; empty when all can. */
    public static List<String> portProblems(Settings settings) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < settings.listeners().size(); i++) {
            ListenerSettings listener = settings.listeners().get(i);
            String problem = bindProblem(listener.address(), listener.port());
            if (problem != null) {
                problems.add(line(settings, "listeners[" + i + "].port", "listener " + listener.name() + ": "
                        + problem));
            }
        }
        AdminSettings admin = settings.admin();
        if (admin.enabled()) {
            String problem = bindProblem(admin.address(), admin.port());
            if (problem != null) {
                problems.add(line(settings, "admin.port", "admin endpoint: " + problem));
            }
        }
        if (settings.web().enabled()) {
            String problem = bindProblem(settings.web().address(), settings.web().port());
            if (problem != null) {
                problems.add(line(settings, "web.port", "web listener: " + problem));
            }
        }
        return problems;
    }

    /** Throws listing every {@link #fileProblems} when there is any. */
    public static void requireUsableFiles(Settings settings) throws ConfigException {
        List<String> problems = fileProblems(settings);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Throws listing every {@link #portProblems} when there is any. */
    public static void requireBindablePorts(Settings settings) throws IOException {
        List<String> problems = portProblems(settings);
        if (!problems.isEmpty()) {
            throw new IOException(String.join("\n", problems));
        }
    }

    private static String bindProblem(String address, int port) {
        if (port == 0) {
            return null;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(IpLiteral.toInetAddress(address), port), 1);
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot bind " + (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port
                    + " now: " + e.getMessage();
        }
    }

    private static String line(Settings settings, String key, String problem) {
        String source = settings.source() == null ? "settings" : settings.source().toString();
        return source + ": " + (key == null ? "" : key + ": ") + problem;
    }
}
