package io.sluice.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust anchors outbound TLS checks peers against: the JDK's default store (cacerts), or the certificates of
 * one PEM file ({@code delivery.tls_ca_file}, for private CAs and tests). Used by the SMTP client's
 * {@code tls: verify} and by the MTA-STS policy fetch, so both trust the same anchors. Stateless.
 */
public final class TrustStores {

    private TrustStores() {
    }

    /** The JDK default store when {@code caFile} is null, else the certificates of that PEM file. */
    public static X509TrustManager trustManager(Path caFile) {
        try {
            KeyStore store = null;
            if (caFile != null) {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream in = Files.newInputStream(caFile)) {
                    int n = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca" + n++, c);
                    }
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X509TrustManager in the default TrustManagerFactory");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(caFile == null ? "cannot load the JDK default trust store"
                    : "cannot read delivery.tls_ca_file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
