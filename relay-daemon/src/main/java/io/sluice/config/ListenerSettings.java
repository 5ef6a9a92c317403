package io.sluice.config;

import io.sluice.util.CidrSet;
import java.nio.file.Path;

/**
 * One SMTP listener ({@code listeners[]} in sluice.yaml).
 *
 * @param name          unique name, used in logs and metric labels ({@code name})
 * @param address       literal IP address to bind ({@code address}, default 127.0.0.1)
 * @param port          TCP port 1-65535 ({@code port}, default 2525)
 * @param tls           none | starttls | implicit ({@code tls}, default none)
 * @param tlsCertFile   PEM certificate chain ({@code tls_cert}); required unless tls is none
 * @param tlsKeyFile    PEM PKCS#8 private key ({@code tls_key}); required unless tls is none
 * @param relayNetworks client networks allowed to relay without AUTH ({@code relay_networks}, default
 *                      127.0.0.0/8 and ::1/128)
 * @param auth          SMTP AUTH on this listener ({@code auth})
 * @param suppressed    {@code suppressed}: accept (and record) or reject a recipient on the suppression list
 * @param role          {@code role}: {@code relay} (the default: mail to relay, from clients allowed to) or
 *                      {@code feedback} (bounces and complaint reports from anyone, for the feedback domains only;
 *                      never relayed)
 * @param dkimRequired  {@code dkim_required}: refuse ({@code 550 5.7.1}) a message no DKIM key signs, when keys are
 *                      configured (default false: stored unsigned and counted)
 */
public record ListenerSettings(
        String name,
        String address,
        int port,
        TlsMode tls,
        Path tlsCertFile,
        Path tlsKeyFile,
        CidrSet relayNetworks,
        AuthSettings auth,
        SuppressedMode suppressed,
        Role role,
        boolean dkimRequired) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 2525;
    public static final String DEFAULT_RELAY_NETWORKS = "127.0.0.0/8, ::1/128";

    /** A listener as before the suppression option: suppressed recipients accepted and recorded. */
    public ListenerSettings(String name, String address, int port, TlsMode tls, Path tlsCertFile, Path tlsKeyFile,
                            CidrSet relayNetworks, AuthSettings auth) {
        this(name, address, port, tls, tlsCertFile, tlsKeyFile, relayNetworks, auth, SuppressedMode.ACCEPT);
    }

    /** A relay listener (as before listener roles). */
    public ListenerSettings(String name, String address, int port, TlsMode tls, Path tlsCertFile, Path tlsKeyFile,
                            CidrSet relayNetworks, AuthSettings auth, SuppressedMode suppressed) {
        this(name, address, port, tls, tlsCertFile, tlsKeyFile, relayNetworks, auth, suppressed, Role.RELAY, false);
    }

    /**
     * What a listener is for ({@code role}): {@code relay} takes mail to deliver; {@code feedback} takes bounces
     * and complaint reports addressed to the feedback domains (VERP return paths, {@code feedback.domains}) from
     * any client, reads them, and delivers nothing.
     */
    public enum Role { RELAY, FEEDBACK }

    /**
     * What the listener does with a recipient on the suppression list ({@code suppressed}): accept it and record it
     * {@code suppressed} (the default: many application clients fail the whole message on one refused RCPT), or
     * refuse it at RCPT with {@code 550 5.7.1}.
     */
    public enum SuppressedMode { ACCEPT, REJECT }

    /** Transport security of a listener. */
    public enum TlsMode {
        /** Plain text only; STARTTLS is not offered. */
        NONE,
        /** Plain text, with STARTTLS offered in EHLO. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, port 465 style). */
        IMPLICIT
    }
}
