package io.sluice.delivery;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust policy of outbound STARTTLS (RFC 7435 opportunistic security, as MTAs do it): encrypt whenever the
 * next hop offers TLS, never fail the handshake over its certificate (self-signed, expired, wrong name: most MX
 * certificates would fail a browser's check), and report afterwards whether the JDK's default trust store
 * (cacerts) vouches for the chain ({@link OutboundConnection#tlsPeerVerified()}, for logs and events).
 *
 * <p>{@code tls: required} uses the same policy for now: it requires encryption, not authentication. Verified
 * delivery (DANE, MTA-STS) would need a separate, failing policy and is not implemented.
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

    /** Judges peer chains with the JDK's default trust store. */
    public static OpportunisticTls jdkDefault() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return new OpportunisticTls(x509);
                }
            }
            throw new IllegalStateException("no X509TrustManager in the default TrustManagerFactory");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the JDK default trust store", e);
        }
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
                 | ClassCastException | IllegalArgumentException e) {
            return false;
        }
    }
}
