package io.sluice.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signs a stored message for one DKIM key (RFC 6376 section 5; Ed25519 as RFC 8463): the {@code DKIM-Signature}
 * header field to put in front of it.
 *
 * <p>{@code h=} lists each configured header field as many times as the message has it (so every instance is
 * signed), and each {@code oversign} field once more: an instance added later then breaks the signature (3.5,
 * 8.15). Instances are taken from the bottom up (5.4.2). The body hash is computed over the canonical body line by
 * line ({@code BodyHasher}); the header hash over the canonical fields and the signature field itself with an empty
 * {@code b=}. RSA signs that data with RSASSA-PKCS1-v1_5 and SHA-256; Ed25519 signs its SHA-256 hash (RFC 8463
 * section 3). The field is folded before {@code h=}, {@code bh=} and {@code b=}, and {@code b=} every 72
 * characters.
 *
 * <p>Immutable and thread-safe (a {@link Signature} per call); about one RSA-2048 signature's time per message.
 */
public final class DkimSigner {
    private static final int B64_LINE = 72;

    /**
     * One key's signing settings.
     *
     * @param domain      {@code d=}, lower case, A-labels
     * @param selector    {@code s=}
     * @param algorithm   {@code a=}
     * @param key         the private key, of {@code algorithm}
     * @param headers     the fields to sign, lower case, in order
     * @param oversign    the fields to sign once more than present, lower case
     * @param header      header canonicalization
     * @param body        body canonicalization
     * @param expireAfterSeconds {@code x=} is this long after {@code t=}; 0 = no {@code x=}
     */
    public record Key(String domain, String selector, DkimAlgorithm algorithm, PrivateKey key, List<String> headers,
                      List<String> oversign, Canonicalization header, Canonicalization body,
                      long expireAfterSeconds) {
        public Key {
            headers = List.copyOf(headers);
            oversign = List.copyOf(oversign);
        }
    }

    private final Key key;
    /** The RSA key as the provider that signs with it holds it ({@link RsaSigning}); null for Ed25519. */
    private final RsaSigning.Adopted rsa;
    /** The Ed25519 key as Bouncy Castle signs with it ({@link Ed25519Signing}); null for RSA. */
    private final org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters ed25519;

    public DkimSigner(Key key) {
        this.key = key;
        this.rsa = key.algorithm() == DkimAlgorithm.RSA_SHA256 ? RsaSigning.adopt(key.key()) : null;
        this.ed25519 = key.algorithm() == DkimAlgorithm.ED25519_SHA256 ? Ed25519Signing.adopt(key.key()) : null;
    }

    public Key key() {
        return key;
    }

    /**
     * The {@code DKIM-Signature} field (ending in CRLF) for the message in {@code message} from its position to its
     * limit (absolute reads; the buffer is not changed), signed at {@code nowSeconds}.
     */
    public String sign(ByteBuffer message, long nowSeconds) {
        return sign(message, nowSeconds, bodyHash(key.body(), message));
    }

    /**
     * The body hash ({@code bh=}'s bytes) of {@code message} in {@code canon}: one pass over the body, which
     * {@link #sign(ByteBuffer, long, byte[])} then takes for every key of that canonicalization and every copy of the
     * message with the same body (one-click unsubscribe copies differ in header fields only).
     */
    public static byte[] bodyHash(Canonicalization canon, ByteBuffer message) {
        return new StreamingBodyHash(java.util.EnumSet.of(canon)).finish(message)[canon.ordinal()];
    }

    /** As {@link #sign(ByteBuffer, long)}, with the body hash already computed for this key's body canonicalization. */
    public String sign(ByteBuffer message, long nowSeconds, byte[] bodyHash) {
        byte[] headerSection = headerSection(message);
        List<int[]> fields = fields(headerSection);
        String bh = Base64.getEncoder().encodeToString(bodyHash);

        List<String> h = new ArrayList<>();
        for (String name : key.headers()) {
            int count = count(headerSection, fields, name);
            for (int i = 0; i < count; i++) {
                h.add(name);
            }
            if (key.oversign().contains(name)) {
                h.add(name);
            }
        }
        for (String name : key.oversign()) {
            if (!key.headers().contains(name)) {
                for (int i = count(headerSection, fields, name); i >= 0; i--) {
                    h.add(name);
                }
            }
        }
        StringBuilder field = new StringBuilder(512).append("DKIM-Signature: v=1; a=").append(key.algorithm().label())
                .append("; c=").append(key.header().label()).append('/').append(key.body().label())
                .append("; d=").append(key.domain()).append("; s=").append(key.selector())
                .append(";\r\n\tt=").append(nowSeconds);
        if (key.expireAfterSeconds() > 0) {
            field.append("; x=").append(nowSeconds + key.expireAfterSeconds());
        }
        field.append("; h=");
        int lineStart = field.lastIndexOf("\n");
        for (int i = 0; i < h.size(); i++) {
            if (i > 0) {
                field.append(':');
                if (field.length() - lineStart + h.get(i).length() > 76) {
                    field.append("\r\n\t "); // h= may be folded around its colons (RFC 6376 3.5)
                    lineStart = field.length() - 3;
                }
            }
            field.append(h.get(i));
        }
        field.append(";\r\n\tbh=").append(bh).append(";\r\n\tb=");
        byte[] signature = signature(headerData(headerSection, fields, h, field));
        String b = Base64.getEncoder().encodeToString(signature);
        for (int i = 0; i < b.length(); i += B64_LINE) {
            if (i > 0) {
                field.append("\r\n\t ");
            }
            field.append(b, i, Math.min(b.length(), i + B64_LINE));
        }
        return field.append("\r\n").toString();
    }

    /** The canonical fields named by {@code h}, bottom-up per name, then the signature field with empty b=. */
    private byte[] headerData(byte[] section, List<int[]> fields, List<String> h, CharSequence signatureField) {
        ByteArraySink out = new ByteArraySink(section.length + 512);
        boolean[] used = new boolean[fields.size()];
        for (String name : h) {
            for (int i = fields.size() - 1; i >= 0; i--) {
                int[] f = fields.get(i);
                if (!used[i] && nameIs(section, f, name)) {
                    used[i] = true;
                    key.header().header(section, f[0], f[1], out);
                    break;
                }
            }
        }
        byte[] own = signatureField.toString().getBytes(StandardCharsets.US_ASCII);
        ByteArraySink self = new ByteArraySink(own.length + 2);
        byte[] withCrlf = new byte[own.length + 2];
        System.arraycopy(own, 0, withCrlf, 0, own.length);
        withCrlf[own.length] = '\r';
        withCrlf[own.length + 1] = '\n';
        key.header().header(withCrlf, 0, withCrlf.length, self);
        out.write(self.bytes(), 0, self.size() - 2); // without its final CRLF (3.7)
        return out.toByteArray();
    }

    private byte[] signature(byte[] data) {
        try {
            if (rsa != null) {
                Signature s = rsa.signature();
                s.initSign(rsa.key());
                s.update(data);
                return s.sign();
            }
            return Ed25519Signing.sign(ed25519, MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing with " + key.algorithm().label() + " failed", e);
        }
    }

    /** The header section's bytes: up to and including the CRLF before the empty line (or the whole message). */
    private static byte[] headerSection(ByteBuffer message) {
        int start = message.position();
        int end = message.limit();
        int cut = end;
        if (end > start && (message.get(start) == '\r' || message.get(start) == '\n')) {
            cut = start; // no header fields at all
        } else {
            for (int i = start; i + 1 < end; i++) {
                if (message.get(i) == '\n' && (message.get(i + 1) == '\r' || message.get(i + 1) == '\n')) {
                    cut = i + 1;
                    break;
                }
            }
        }
        byte[] out = new byte[cut - start];
        message.get(start, out);
        return out;
    }


    /** Each field's [start, end) in {@code section}, its folded lines included. */
    private static List<int[]> fields(byte[] section) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < section.length) {
            int lf = i;
            while (lf < section.length && section[lf] != '\n') {
                lf++;
            }
            int next = Math.min(section.length, lf + 1);
            if (next >= section.length || (section[next] != ' ' && section[next] != '\t')) {
                out.add(new int[] {start, next});
                start = next;
            }
            i = next;
        }
        return out;
    }

    private static int count(byte[] section, List<int[]> fields, String name) {
        int n = 0;
        for (int[] f : fields) {
            if (nameIs(section, f, name)) {
                n++;
            }
        }
        return n;
    }

    private static boolean nameIs(byte[] section, int[] field, String lowerName) {
        int i = field[0];
        int end = field[1];
        int k = 0;
        while (i < end && k < lowerName.length()) {
            byte b = section[i];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerName.charAt(k)) {
                return false;
            }
            i++;
            k++;
        }
        if (k < lowerName.length()) {
            return false;
        }
        while (i < end && Canonicalization.isWsp(section[i])) {
            i++;
        }
        return i < end && section[i] == ':';
    }

    /** A growable byte array as a {@link Canonicalization.ByteSink}. */
    private static final class ByteArraySink implements Canonicalization.ByteSink {
        private byte[] buf;
        private int size;

        ByteArraySink(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        @Override
        public void write(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buf, size, length);
            size += length;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        byte[] bytes() {
            return buf;
        }

        int size() {
            return size;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, size);
        }
    }
}
