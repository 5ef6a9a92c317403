package io.sluice.bench.jmh;

import io.sluice.signing.Canonicalization;
import io.sluice.signing.DkimAlgorithm;
import io.sluice.signing.DkimSigner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of DKIM-signing one stored message (issue 14): RSA-2048 and Ed25519, relaxed/relaxed, the default signed
 * fields with oversigning, at 5 KB and 100 KB of body (text lines of 76 characters, as a newsletter's). Per message,
 * single-threaded, as one signing thread signs; the body hash and the header hash and the signature.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DkimSignBenchmark {
    @Param({"rsa-sha256", "ed25519-sha256"})
    public String algorithm;

    @Param({"5120", "102400"})
    public int bodyBytes;

    private DkimSigner signer;
    private ByteBuffer message;

    @Setup
    public void setUp() throws Exception {
        DkimAlgorithm a = DkimAlgorithm.byLabel(algorithm);
        KeyPairGenerator g = KeyPairGenerator.getInstance(a.keyAlgorithm());
        if (a == DkimAlgorithm.RSA_SHA256) {
            g.initialize(2048);
        }
        KeyPair keys = g.generateKeyPair();
        signer = new DkimSigner(new DkimSigner.Key("shop.example", "s1", a, keys.getPrivate(),
                List.of("from", "to", "cc", "subject", "date", "message-id", "reply-to", "mime-version",
                        "content-type", "content-transfer-encoding", "list-unsubscribe", "list-unsubscribe-post"),
                List.of("from", "subject", "list-unsubscribe", "list-unsubscribe-post"), Canonicalization.RELAXED,
                Canonicalization.RELAXED, 0));
        StringBuilder sb = new StringBuilder("Received: from app1 ([10.0.0.5])\r\n\tby mx.sluice.test (Sluice) with"
                + " ESMTP id 1a2028826dc00000; Mon, 7 Dec 2026 10:00:00 +0000\r\nFrom: \"Shop\" <news@shop.example>\r\n"
                + "To: user@dest.example\r\nSubject: This week's offers\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
                + "Message-ID: <1a2028826dc00000@shop.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nList-Unsubscribe: <https://u.shop.example/u/AQHI6nB1>\r\n"
                + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n");
        String line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tem\r\n";
        for (int n = 0; n < bodyBytes; n += line.length()) {
            sb.append(line);
        }
        message = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @Benchmark
    public String sign() {
        return signer.sign(message, 1_780_000_000L);
    }
}
