package io.sluice.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.smtp.server.auth.PasswordHash;
import io.sluice.smtp.server.auth.UsersFile;
import io.sluice.testing.SmtpClient;
import io.sluice.testing.TestDaemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AUTH under a flood: 40 client addresses (127.0.0.2 to 127.0.0.41) each keep 5 connections sending
 * AUTH PLAIN with wrong passwords as fast as they are answered, while a legitimate user on 127.0.0.100 logs in again
 * and again with the right password. The success cache is off ({@code cache_ttl: 0s}), so every one of the user's
 * logins needs a PBKDF2 check on the verifier's pool, which the flood is trying to fill. The user must get
 * {@code 235} every time, never {@code 454}, within a few seconds; the flooders must end up throttled.
 */
class AuthFloodTest {

    private static final int FLOOD_ADDRESSES = 40;
    private static final int CONNECTIONS_PER_ADDRESS = 5;
    private static final int GOOD_LOGINS = 8;
    /** Costly enough that the flood outruns the pool (a few ms per check), cheap enough for a 2-core test box. */
    private static final int ITERATIONS = 20_000;
    private static final long MAX_LOGIN_MILLIS = 10_000;

    @TempDir
    Path dir;

    @Test
    void shouldServeALegitimateUserDuringAnAuthFloodFromManyAddresses() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, UsersFile.formatLine("app", PasswordHash.hash("s3cret-pass".toCharArray(), ITERATIONS))
                + "\n");
        String good = plain("app", "s3cret-pass");
        Map<String, LongAdder> floodReplies = new ConcurrentHashMap<>();
        List<String> goodReplies = new ArrayList<>();
        List<Long> goodMillis = new ArrayList<>();
        List<Long> goodAuthMillis = new ArrayList<>();
        List<Long> floodChecksSeen = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService flood = Executors.newFixedThreadPool(FLOOD_ADDRESSES * CONNECTIONS_PER_ADDRESS);
        try (TestDaemon d = TestDaemon.in(dir).listener("tls: none\nauth:\n  enabled: true\n  users_file: " + users
                + "\n  allow_plaintext: true\n  cache_ttl: 0s\n  max_failures_per_ip: 5").start()) {
            for (int a = 0; a < FLOOD_ADDRESSES; a++) {
                String source = "127.0.0." + (2 + a);
                for (int c = 0; c < CONNECTIONS_PER_ADDRESS; c++) {
                    int n = a * CONNECTIONS_PER_ADDRESS + c;
                    flood.execute(() -> floodFrom(d.smtpPort(), source, plain("app", "guess-" + n), stop,
                            floodReplies));
                }
            }
            // Let the flood fill the verifier's queue before the user arrives.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (count(floodReplies, "454") + count(floodReplies, "535") < 40 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            for (int i = 0; i < GOOD_LOGINS; i++) {
                long start = System.nanoTime();
                try (SmtpClient c = new SmtpClient("127.0.0.1", d.smtpPort(), "127.0.0.100")) {
                    c.reply();
                    c.command("EHLO good.client.test");
                    long auth = System.nanoTime();
                    goodReplies.add(c.command("AUTH PLAIN " + good));
                    goodAuthMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - auth));
                }
                goodMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                floodChecksSeen.add(count(floodReplies, "535"));
            }
        } finally {
            stop.set(true);
            flood.shutdownNow();
            flood.awaitTermination(30, TimeUnit.SECONDS);
        }
        System.out.println("AuthFloodTest: good user replies " + goodReplies + " in ms " + goodMillis
                + " (AUTH alone " + goodAuthMillis + "); flood 535s seen after each login " + floodChecksSeen
                + "; flood replies " + floodReplies);

        assertThat(goodReplies).hasSize(GOOD_LOGINS).allSatisfy(reply ->
                assertThat(reply).isEqualTo("235 2.7.0 Authentication successful"));
        assertThat(goodMillis).allSatisfy(ms -> assertThat(ms).isLessThan(MAX_LOGIN_MILLIS));
        assertThat(count(floodReplies, "235")).as("no wrong password ever succeeds").isZero();
        assertThat(count(floodReplies, "535")).as("the flood's passwords were checked").isPositive()
                .as("at most max_failures_per_ip wrong passwords checked per address")
                .isLessThanOrEqualTo(FLOOD_ADDRESSES * 5L);
        assertThat(floodChecksSeen.get(0)).as("the first login was served while the flood was still being checked")
                .isLessThan(FLOOD_ADDRESSES * 5L);
    }

    /** One flood connection: AUTH with a wrong password as fast as answered; reconnects when the server closes. */
    private static void floodFrom(int port, String source, String credentials, AtomicBoolean stop,
                                  Map<String, LongAdder> replies) {
        while (!stop.get()) {
            try (SmtpClient c = new SmtpClient("127.0.0.1", port, source)) {
                c.reply();
                c.command("EHLO flood.client.test");
                while (!stop.get()) {
                    String reply = c.command("AUTH PLAIN " + credentials);
                    if (reply == null) {
                        break;
                    }
                    replies.computeIfAbsent(reply, k -> new LongAdder()).increment();
                    if (reply.startsWith("421")) {
                        break;
                    }
                }
            } catch (IOException e) {
                // Closed by the server (max_errors) or by the test's end: connect again unless stopping.
            }
        }
    }

    /** Replies whose line starts with {@code code}. */
    private static long count(Map<String, LongAdder> replies, String code) {
        return replies.entrySet().stream().filter(e -> e.getKey().startsWith(code))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }
}
