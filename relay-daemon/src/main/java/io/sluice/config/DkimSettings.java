package io.sluice.config;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;

/**
 * DKIM signing keys ({@code dkim} in sluice.yaml), read and checked by the loader (keys included, so a bad key fails
 * the load or reload and the running config stays).
 *
 * @param keys the entries in file order; empty = nothing is signed
 */
public record DkimSettings(List<Key> keys) {

    /** The default header fields signed: what DMARC and the big providers look at, and the unsubscribe fields. */
    public static final List<String> DEFAULT_HEADERS = List.of("from", "to", "cc", "subject", "date", "message-id",
            "reply-to", "mime-version", "content-type", "content-transfer-encoding", "list-unsubscribe",
            "list-unsubscribe-post");
    /** The default fields signed once more than present, so that none can be added after signing. */
    public static final List<String> DEFAULT_OVERSIGN = List.of("from", "subject", "list-unsubscribe",
            "list-unsubscribe-post");

    public DkimSettings {
        keys = List.copyOf(keys);
    }

    public static DkimSettings none() {
        return new DkimSettings(List.of());
    }

    /**
     * One signing key ({@code dkim[]}).
     *
     * @param domain        {@code d=} and the From domain it signs for (and its subdomains, relaxed DMARC
     *                      alignment), lower case, A-labels ({@code domain})
     * @param selector      {@code s=} ({@code selector})
     * @param keyFile       PKCS#8 PEM private key ({@code key_file})
     * @param algorithm     {@code rsa-sha256} or {@code ed25519-sha256} ({@code algorithm}, default rsa-sha256)
     * @param headers       fields to sign, lower case ({@code headers})
     * @param oversign      fields to sign once more than present, lower case ({@code oversign})
     * @param headerCanon   {@code simple} or {@code relaxed} ({@code canonicalization}, before the slash)
     * @param bodyCanon     {@code simple} or {@code relaxed} (after the slash; default relaxed/relaxed)
     * @param expireAfterSeconds {@code x=} this long after signing ({@code expire_after}); 0 = none
     * @param activeFrom    when this key starts signing ({@code active_from}); null = always. Of a domain's keys of
     *                      one algorithm, the one with the latest {@code active_from} not in the future signs: key
     *                      rotation by date
     * @param fallback      signs mail whose From domain has no key of its own ({@code fallback}, default false;
     *                      such mail is then not DMARC-aligned through DKIM)
     * @param key           the loaded private key
     */
    public record Key(String domain, String selector, Path keyFile, String algorithm, List<String> headers,
                      List<String> oversign, String headerCanon, String bodyCanon, long expireAfterSeconds,
                      Instant activeFrom, boolean fallback, PrivateKey key) {
        public Key {
            headers = List.copyOf(headers);
            oversign = List.copyOf(oversign);
        }
    }
}
