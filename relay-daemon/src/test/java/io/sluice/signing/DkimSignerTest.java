package io.sluice.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every signature Sluice makes verifies with two independent implementations, Debian's python3-dkim and OpenDKIM,
 * for RSA-2048 and Ed25519, both canonicalizations, and the messages that break naive signers: folded headers, trailing white
 * space, an empty body, a body without a final CRLF, 8-bit text, long lines, lines that SMTP dot-stuffs, repeated
 * fields and forty of them (h= folded). A changed byte in a signed field or the body makes it fail, and so does a
 * Subject added above the signed one when Subject is oversigned (and, as the control, not when it is not).
 */
class DkimSignerTest {
    private static final List<String> HEADERS = List.of("from", "to", "subject", "date", "message-id",
            "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe-post");
    private static final long NOW = System.currentTimeMillis() / 1000;
    private static KeyPair rsa;
    private static KeyPair ed25519;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static final Map<String, String> MESSAGES = Map.of(
            "folded", "Received: from x\r\n\tby y; Mon, 7 Dec 2026 10:00:00 +0000\r\nFrom: \"Shop\"\r\n <news@shop.example>\r\n"
                    + "To: a@dest.example,\r\n\tb@dest.example\r\nSubject:  Hello   there \r\n\tsecond line\r\n"
                    + "Date: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@shop.example>\r\n\r\nbody\r\n",
            "whitespace", "From: news@shop.example\r\nSubject: trailing \t \r\n\r\nline with trailing   \r\n"
                    + "\tindented\tline  with  runs\r\n\r\n\r\n\r\n",
            "empty", "From: news@shop.example\r\nSubject: empty body\r\n\r\n",
            "no-body-crlf", "From: news@shop.example\r\nSubject: no final CRLF\r\n\r\nlast line without CRLF",
            "eight-bit", "From: news@shop.example\r\nSubject: =?utf-8?q?B=C3=BCcher?=\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                    + "Bücher für Jörg — ünïcödé\r\n",
            "long-lines", "From: news@shop.example\r\nSubject: long\r\n\r\n" + "x".repeat(5000) + "\r\n"
                    + "y ".repeat(3000) + "\r\n",
            "dots", "From: news@shop.example\r\nSubject: dots\r\n\r\n.\r\n..leading dots\r\n.\r\nend\r\n",
            "many-fields", "From: news@shop.example\r\n" + "To: someone.with.a.long.name@dest.example\r\n".repeat(40)
                    + "Subject: forty To fields: h= is folded\r\n\r\nhi\r\n",
            "repeated", "From: news@shop.example\r\nTo: a@dest.example\r\nTo: b@dest.example\r\nSubject: two To\r\n"
                    + "List-Unsubscribe: <https://u.shop.example/u/abc>\r\n"
                    + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\nhi\r\n");

    private DkimSigner signer(DkimAlgorithm algorithm, Canonicalization header, Canonicalization body) {
        KeyPair keys = algorithm == DkimAlgorithm.RSA_SHA256 ? rsa : ed25519;
        return new DkimSigner(new DkimSigner.Key("shop.example", "s1", algorithm, keys.getPrivate(), HEADERS,
                List.of("from", "subject", "list-unsubscribe"), header, body, 7 * 86_400));
    }

    private static byte[] signed(DkimSigner signer, String message) {
        byte[] raw = message.getBytes(StandardCharsets.UTF_8);
        String field = signer.sign(ByteBuffer.wrap(raw), NOW);
        byte[] f = field.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[f.length + raw.length];
        System.arraycopy(f, 0, out, 0, f.length);
        System.arraycopy(raw, 0, out, f.length, raw.length);
        return out;
    }

    private DkimVerifier.Result verify(byte[] message, DkimAlgorithm algorithm) throws Exception {
        KeyPair keys = algorithm == DkimAlgorithm.RSA_SHA256 ? rsa : ed25519;
        return DkimVerifier.verify(dir, message, Map.of("s1._domainkey.shop.example",
                DkimVerifier.record(algorithm, keys)));
    }

    @ParameterizedTest
    @EnumSource(DkimAlgorithm.class)
    void shouldVerifyWithPythonDkimForEveryMessageShapeAndCanonicalization(DkimAlgorithm algorithm) throws Exception {
        DkimVerifier.requireInstalled();
        for (Canonicalization h : Canonicalization.values()) {
            for (Canonicalization b : Canonicalization.values()) {
                DkimSigner signer = signer(algorithm, h, b);
                for (Map.Entry<String, String> m : MESSAGES.entrySet()) {
                    DkimVerifier.Result r = verify(signed(signer, m.getValue()), algorithm);
                    assertThat(r.exit()).as(m.getKey() + " " + h.label() + "/" + b.label() + ": " + r.output())
                            .isZero();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DkimAlgorithm.class)
    void shouldVerifyWithOpenDkimForEveryMessageShapeAndCanonicalization(DkimAlgorithm algorithm) throws Exception {
        DkimVerifier.requireOpenDkim();
        KeyPair keys = algorithm == DkimAlgorithm.RSA_SHA256 ? rsa : ed25519;
        Map<String, String> records = Map.of("s1._domainkey.shop.example", DkimVerifier.record(algorithm, keys));
        for (Canonicalization h : Canonicalization.values()) {
            for (Canonicalization b : Canonicalization.values()) {
                DkimSigner signer = signer(algorithm, h, b);
                for (Map.Entry<String, String> m : MESSAGES.entrySet()) {
                    if (h == Canonicalization.SIMPLE && m.getKey().equals("folded")) {
                        // OpenDKIM gets header fields as a milter does, name and value apart, and rebuilds them
                        // with one space after the colon: "Subject:  Hello" (two spaces) cannot pass simple
                        // header canonicalization there, whoever signed it (python3-dkim's signature fails too)
                        continue;
                    }
                    if (b == Canonicalization.RELAXED && m.getKey().equals("no-body-crlf")) {
                        // OpenDKIM's test mode says "message not signed" for a relaxed body without a final
                        // CRLF, python3-dkim's signatures included (SMTP always delivers one, so only here)
                        continue;
                    }
                    DkimVerifier.Result r = DkimVerifier.openDkim(dir, signed(signer, m.getValue()), records);
                    assertThat(r.exit()).as(m.getKey() + " " + h.label() + "/" + b.label() + ": " + r.output())
                            .isZero();
                    assertThat(r.output()).contains("s=s1, d=shop.example");
                }
            }
        }
        String good = new String(signed(signer(algorithm, Canonicalization.RELAXED, Canonicalization.RELAXED),
                MESSAGES.get("folded")), StandardCharsets.UTF_8);
        assertThat(DkimVerifier.openDkim(dir, good.replace("\r\n\r\nbody", "\r\n\r\nbodY")
                .getBytes(StandardCharsets.UTF_8), records).exit()).as("body changed: OpenDKIM can fail").isNotZero();
    }

    @Test
    void shouldFailWhenASignedFieldOrTheBodyChangesOrAFromIsAdded() throws Exception {
        DkimVerifier.requireInstalled();
        DkimSigner signer = signer(DkimAlgorithm.RSA_SHA256, Canonicalization.RELAXED, Canonicalization.RELAXED);
        String good = new String(signed(signer, MESSAGES.get("folded")), StandardCharsets.UTF_8);
        assertThat(verify(good.getBytes(StandardCharsets.UTF_8), DkimAlgorithm.RSA_SHA256).exit()).isZero();
        assertThat(verify(good.replace("Hello", "Hallo").getBytes(StandardCharsets.UTF_8),
                DkimAlgorithm.RSA_SHA256).exit()).as("subject changed").isNotZero();
        assertThat(verify(good.replace("\r\n\r\nbody", "\r\n\r\nbodY").getBytes(StandardCharsets.UTF_8),
                DkimAlgorithm.RSA_SHA256).exit()).as("body changed").isNotZero();
        assertThat(verify(good.replace("\r\n\r\nbody", "\r\nFrom: evil@attacker.example\r\n\r\nbody")
                .getBytes(StandardCharsets.UTF_8), DkimAlgorithm.RSA_SHA256).exit()).as("a From added below")
                .isNotZero();
        // above the signed Subject: only oversigning (h= names subject once more than present) catches this one
        assertThat(verify(good.replace("\r\nReceived: ", "\r\nSubject: changed\r\nReceived: ")
                .getBytes(StandardCharsets.UTF_8), DkimAlgorithm.RSA_SHA256).exit()).as("a Subject added above")
                .isNotZero();
        DkimSigner plain = new DkimSigner(new DkimSigner.Key("shop.example", "s1", DkimAlgorithm.RSA_SHA256,
                rsa.getPrivate(), HEADERS, List.of(), Canonicalization.RELAXED, Canonicalization.RELAXED, 0));
        String unguarded = new String(signed(plain, MESSAGES.get("folded")), StandardCharsets.UTF_8);
        assertThat(verify(unguarded.replace("\r\nReceived: ", "\r\nSubject: changed\r\nReceived: ")
                .getBytes(StandardCharsets.UTF_8), DkimAlgorithm.RSA_SHA256).exit())
                .as("without oversigning the added Subject passes: what oversigning is for").isZero();
        assertThat(verify(good.replace("\r\n\r\nbody", "\r\n\r\nbody\r\n\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8), DkimAlgorithm.RSA_SHA256).exit())
                .as("trailing empty lines do not count").isZero();
        assertThat(good.replace("\r\n\t ", "")).as("h=, unfolded")
                .contains("h=from:from:to:subject:subject:date:message-id:list-unsubscribe;")
                .contains("x=" + (NOW + 7 * 86_400) + ";").contains("t=" + NOW + ";");
    }

    @Test
    void shouldSignTwiceForDualSigning() throws Exception {
        DkimVerifier.requireInstalled();
        DkimSigner first = signer(DkimAlgorithm.RSA_SHA256, Canonicalization.RELAXED, Canonicalization.RELAXED);
        DkimSigner second = new DkimSigner(new DkimSigner.Key("shop.example", "e1", DkimAlgorithm.ED25519_SHA256,
                ed25519.getPrivate(), HEADERS, List.of("from"), Canonicalization.RELAXED, Canonicalization.SIMPLE, 0));
        byte[] once = signed(first, MESSAGES.get("repeated"));
        byte[] twice = signed(second, new String(once, StandardCharsets.UTF_8));
        DkimVerifier.Result r = DkimVerifier.verify(dir, twice, Map.of(
                "s1._domainkey.shop.example", DkimVerifier.record(DkimAlgorithm.RSA_SHA256, rsa),
                "e1._domainkey.shop.example", DkimVerifier.record(DkimAlgorithm.ED25519_SHA256, ed25519)));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("pass 0").contains("pass 1");
    }
}
