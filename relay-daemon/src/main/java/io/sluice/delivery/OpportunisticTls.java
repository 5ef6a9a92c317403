package io.sluice.delivery;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

/**
 * The trust policy of outbound STARTTLS (RFC 7435 opportunistic security, as MTAs do it): encrypt whenever the
 * next hop offers TLS, never fail the handshake over its certificate (self-signed, expired, wrong name: most MX
 * certificates would fail a browser's check), and report afterwards whether the peer is verified: the JDK's
 * default trust store (cacerts) vouches for the chain and the certificate names the MX host
 * ({@link OutboundConnection#tlsPeerVerified()}, for logs, events and MTA-STS testing reports).
 *
 * <p>{@code tls: required} uses the same policy: it requires encryption, not authentication. {@code tls: verify}
 * fails the attempt after the handshake unless {@link #isTrusted} and {@link #namesHost} both hold (checked by the
 * session, so the handshake itself never fails over the certificate and the reason can be reported in words).
 *
 * <p>{@link #isTrusted} runs PKIX path validation (a millisecond or so) once per TLS connection, on the event loop;
 * connections are reused, so this is rare. Thread-safe.
 */
public final class OpportunisticTls {
    /** The JDK passes this authType for TLS 1.3 too; PKIX then checks the key usage for signatures. */
    private static final String AUTH_TYPE = "UNKNOWN";

    private final X509TrustManager trust;

    /** Judges peer chains with {@code trust}; tests pass one built from their own certificate. */
    public OpportunisticTls(X509TrustManager trust) {
        this.trust = trust;
    }

    /** Judges peer chains with the certificates of a PEM file ({@code delivery.tls_ca_file}). */
    public static OpportunisticTls fromCaFile(java.nio.file.Path pem) {
        return new OpportunisticTls(io.sluice.util.TrustStores.trustManager(pem));
    }

    /**
     * Whether the session's leaf certificate names {@code host} (RFC 6125 6.4): a DNS name in subjectAltName equal to
     * it (case-insensitive, trailing dots ignored), or a wildcard {@code *.rest} that stands for exactly one leftmost
     * label; the subject CN only when there is no DNS name at all. False for IP literals and when there is no
     * certificate.
     */
    public static boolean namesHost(SSLSession session, String host) {
        if (host == null || host.isEmpty() || io.sluice.util.IpLiteral.isLiteral(host)) {
            return false;
        }
        String h = strip(host);
        try {
            X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
            java.util.Collection<java.util.List<?>> sans = leaf.getSubjectAlternativeNames();
            boolean anyDns = false;
            if (sans != null) {
                for (java.util.List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) { // dNSName
                        anyDns = true;
                        if (io.sluice.util.HostPattern.matches(strip(String.valueOf(san.get(1))), h)) {
                            return true;
                        }
                    }
                }
            }
            if (!anyDns) {
                javax.naming.ldap.LdapName dn = new javax.naming.ldap.LdapName(
                        leaf.getSubjectX500Principal().getName());
                for (javax.naming.ldap.Rdn rdn : dn.getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn
                            && io.sluice.util.HostPattern.matches(strip(cn), h)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (javax.net.ssl.SSLPeerUnverifiedException | java.security.cert.CertificateParsingException
                 | javax.naming.InvalidNameException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static String strip(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Judges peer chains with the JDK's default trust store. */
    public static OpportunisticTls jdkDefault() {
        return new OpportunisticTls(io.sluice.util.TrustStores.trustManager(null));
    }

    /**
     * The client context for STARTTLS: accepts any server certificate and does no host name check (Netty 4.2
     * enables one by default for clients).
     */
    public static SslContext clientContext() {
        try {
            return SslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the outbound TLS context", e);
        }
    }

    /** True when the session's peer chain validates against the trust store (no host name check). */
    public boolean isTrusted(SSLSession session) {
        try {
            Certificate[] peer = session.getPeerCertificates();
            X509Certificate[] chain = new X509Certificate[peer.length];
            for (int i = 0; i < peer.length; i++) {
                chain[i] = (X509Certificate) peer[i];
            }
            trust.checkServerTrusted(chain, AUTH_TYPE);
            return true;
        } catch (java.security.cert.CertificateException | javax.net.ssl.SSLPeerUnverifiedException
                 | RuntimeException e) { // an unusable trust store must not look like a failed handshake
            return false;
        }
    }
}
