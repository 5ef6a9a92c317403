package io.sluice.smtp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.config.AuthSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthVerifierTest {

    private static final Path USERS_PATH = Path.of("conf/users");
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private InetAddress client;
    private UsersFile users;
    private AuthVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        client = InetAddress.getByName("192.0.2.10");
        users = UsersFile.parse(USERS_PATH, List.of(
                UsersFile.formatLine("alice", PasswordHash.hash("alice-pw".toCharArray(), 1000)),
                UsersFile.formatLine("bob", PasswordHash.hash("bob-pw".toCharArray(), 1000))));
    }

    @AfterEach
    void tearDown() {
        if (verifier != null) {
            verifier.close();
        }
    }

    private AuthVerifier verifier(int maxFailures, ThreadPoolExecutor pool) {
        verifier = new AuthVerifier(users, TTL, maxFailures, 100, 8, clock::get, pool);
        return verifier;
    }

    private static Credentials creds(String user, String password) {
        return new Credentials(user, password.toCharArray());
    }

    private AuthResult verifyNow(String user, String password) {
        return verifier.verify(creds(user, password), client).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void shouldSucceedWithTheRightPasswordOnAWorkerThread() {
        ThreadPoolExecutor pool = AuthVerifier.newPool(1, 4);
        verifier(5, pool);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> awaitQuietly(release));
        Credentials credentials = creds("alice", "alice-pw");
        AtomicReference<String> completingThread = new AtomicReference<>();

        CompletableFuture<AuthResult> pending = verifier.verify(credentials, client);
        CompletableFuture<AuthResult> observed =
                pending.whenComplete((r, e) -> completingThread.set(Thread.currentThread().getName()));
        assertThat(pending).as("worker is held, so the check must wait in the queue").isNotDone();
        release.countDown();
        AuthResult result = observed.orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(result).isEqualTo(AuthResult.success("alice"));
        assertThat(result.reply()).isEqualTo(AuthReply.SUCCESS);
        assertThat(completingThread.get()).startsWith("sluice-auth-");
        assertThat(credentials.password()).containsOnly('\0');
        assertThat(verifier.checksRun()).isEqualTo(1);
    }

    @Test
    void shouldRejectAWrongPasswordAndAnUnknownUserAlike() {
        verifier(5, AuthVerifier.newPool(1, 4));

        assertThat(verifyNow("alice", "bob-pw")).isEqualTo(AuthResult.INVALID);
        assertThat(verifyNow("mallory", "alice-pw")).isEqualTo(AuthResult.INVALID);
        assertThat(verifyNow("Alice", "alice-pw")).isEqualTo(AuthResult.INVALID);
        assertThat(AuthResult.INVALID.reply().line()).isEqualTo("535 5.7.8 Authentication credentials invalid");
        assertThat(verifier.checksRun()).as("unknown users cost a decoy check").isEqualTo(3);
    }

    @Test
    void shouldAnswerARepeatedSuccessFromTheCacheWithoutThePool() {
        ThreadPoolExecutor pool = AuthVerifier.newPool(1, 4);
        verifier(5, pool);
        assertThat(verifyNow("alice", "alice-pw").isSuccess()).isTrue();
        // The future completes inside the task; the pool counts the task only once run() has returned.
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.getCompletedTaskCount() == 1);
        long tasksBefore = pool.getCompletedTaskCount();
        Credentials again = creds("alice", "alice-pw");

        CompletableFuture<AuthResult> hit = verifier.verify(again, client);

        assertThat(hit).isCompletedWithValue(AuthResult.success("alice"));
        assertThat(verifier.cacheHits()).isEqualTo(1);
        assertThat(verifier.checksRun()).isEqualTo(1);
        assertThat(pool.getCompletedTaskCount()).isEqualTo(tasksBefore);
        assertThat(pool.getTaskCount()).isEqualTo(tasksBefore);
        assertThat(again.password()).containsOnly('\0');
    }

    @Test
    void shouldNotAnswerADifferentPasswordFromTheCache() {
        verifier(5, AuthVerifier.newPool(1, 4));
        verifyNow("alice", "alice-pw");

        assertThat(verifyNow("alice", "alice-pX")).isEqualTo(AuthResult.INVALID);
        assertThat(verifyNow("bob", "alice-pw")).isEqualTo(AuthResult.INVALID);
        assertThat(verifier.cacheHits()).isZero();
    }

    @Test
    void shouldCheckAgainAfterTheCacheTtl() {
        verifier(5, AuthVerifier.newPool(1, 4));
        verifyNow("alice", "alice-pw");
        clock.addAndGet(TTL.toNanos());

        assertThat(verifyNow("alice", "alice-pw").isSuccess()).isTrue();
        assertThat(verifier.cacheHits()).isZero();
        assertThat(verifier.checksRun()).isEqualTo(2);
    }

    @Test
    void shouldForgetCachedSuccessesWhenTheUsersChange() throws Exception {
        verifier(5, AuthVerifier.newPool(1, 4));
        verifyNow("alice", "alice-pw");

        verifier.replaceUsers(UsersFile.parse(USERS_PATH,
                List.of("alice:" + PasswordHash.hash("new-pw".toCharArray(), 1000))));

        assertThat(verifyNow("alice", "alice-pw")).isEqualTo(AuthResult.INVALID);
        assertThat(verifyNow("alice", "new-pw").isSuccess()).isTrue();
        assertThat(verifyNow("bob", "bob-pw")).isEqualTo(AuthResult.INVALID);
        assertThat(verifier.users().size()).isEqualTo(1);
    }

    @Test
    void shouldThrottleAClientAfterMaxFailuresWithoutHashing() throws Exception {
        verifier(3, AuthVerifier.newPool(1, 4));
        for (int i = 0; i < 3; i++) {
            assertThat(verifyNow("alice", "guess" + i)).isEqualTo(AuthResult.INVALID);
        }

        CompletableFuture<AuthResult> refused = verifier.verify(creds("alice", "alice-pw"), client);

        assertThat(refused).isCompletedWithValue(AuthResult.THROTTLED);
        assertThat(AuthResult.THROTTLED.reply().line())
                .isEqualTo("454 4.7.0 Too many authentication failures, try again later");
        assertThat(verifier.checksRun()).isEqualTo(3);
        assertThat(verifier.throttledAttempts()).isEqualTo(1);
        assertThat(verifier.isThrottled(client)).as("per (client, user): the client's ceiling is 4x").isFalse();
        assertThat(verifier.verify(creds("bob", "bob-pw"), client).orTimeout(10, TimeUnit.SECONDS).join().isSuccess())
                .as("another user on the same client").isTrue();
        assertThat(verifier.verify(creds("alice", "alice-pw"), InetAddress.getByName("192.0.2.11"))
                .orTimeout(10, TimeUnit.SECONDS).join().isSuccess()).isTrue();

        clock.addAndGet(61 * SECOND);
        assertThat(verifier.isThrottled(client)).isFalse();
        assertThat(verifyNow("alice", "alice-pw").isSuccess()).isTrue();
    }

    @Test
    void shouldFailTemporarilyWhenTheQueueIsFull() throws Exception {
        ThreadPoolExecutor pool = AuthVerifier.newPool(1, 1);
        verifier(5, pool);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> awaitQuietly(release));

        CompletableFuture<AuthResult> queued = verifier.verify(creds("alice", "alice-pw"), client);
        CompletableFuture<AuthResult> overflow = verifier.verify(creds("bob", "bob-pw"), client);

        assertThat(queued).isNotDone();
        assertThat(overflow).isCompletedWithValue(AuthResult.TEMPORARY_FAILURE);
        assertThat(AuthResult.TEMPORARY_FAILURE.reply().line()).isEqualTo("454 4.7.0 Temporary authentication failure");
        assertThat(verifier.queueFullRejections()).isEqualTo(1);
        release.countDown();
        assertThat(queued.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(AuthResult.success("alice"));
    }

    @Test
    void shouldGiveTheFloodingClientThe454sAndServeTheOthersRoundRobin() throws Exception {
        ThreadPoolExecutor pool = AuthVerifier.newPool(1, 4);
        verifier = new AuthVerifier(users, TTL, 5, 100, 3, clock::get, pool);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> awaitQuietly(release));
        InetAddress other = InetAddress.getByName("192.0.2.20");
        InetAddress third = InetAddress.getByName("192.0.2.30");
        List<CompletableFuture<AuthResult>> flood = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            flood.add(verifier.verify(creds("alice", "guess" + i), client));
        }

        CompletableFuture<AuthResult> second = verifier.verify(creds("bob", "bob-pw"), other);
        CompletableFuture<AuthResult> thirdResult = verifier.verify(creds("alice", "alice-pw"), third);

        assertThat(flood.get(3)).as("over its share of 3").isCompletedWithValue(AuthResult.TEMPORARY_FAILURE);
        assertThat(flood.get(2)).as("displaced by the third client").isCompletedWithValue(AuthResult.TEMPORARY_FAILURE);
        assertThat(second).isNotDone();
        assertThat(thirdResult).isNotDone();
        assertThat(verifier.queueFullRejections()).isEqualTo(1);
        assertThat(verifier.displacedChecks()).isEqualTo(1);
        release.countDown();
        assertThat(second.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(AuthResult.success("bob"));
        assertThat(thirdResult.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(AuthResult.success("alice"));
        assertThat(flood.get(0).orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(AuthResult.INVALID);
        assertThat(flood.get(1).orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(AuthResult.INVALID);
        assertThat(verifier.checksRun()).isEqualTo(4);
    }

    @Test
    void shouldCompleteQueuedChecksAndRefuseNewOnesOnClose() throws Exception {
        ThreadPoolExecutor pool = AuthVerifier.newPool(1, 2);
        verifier(5, pool);
        CountDownLatch never = new CountDownLatch(1);
        pool.execute(() -> awaitQuietly(never));
        Credentials queuedCredentials = creds("alice", "alice-pw");
        CompletableFuture<AuthResult> queued = verifier.verify(queuedCredentials, client);

        verifier.close();

        assertThat(queued).isCompletedWithValue(AuthResult.TEMPORARY_FAILURE);
        assertThat(queuedCredentials.password()).containsOnly('\0');
        assertThat(pool.isTerminated()).isTrue();
        assertThat(verifier.verify(creds("alice", "alice-pw"), client))
                .isCompletedWithValue(AuthResult.TEMPORARY_FAILURE);
        verifier.close();
        assertThat(verifier.checksRun()).isZero();
        assertThat(verifier.isThrottled(client)).as("abandoned checks are not failures").isFalse();
    }

    @Test
    void shouldBuildFromListenerSettings() {
        AuthSettings settings = new AuthSettings(true, USERS_PATH, false, Duration.ofMinutes(1), 5);
        verifier = AuthVerifier.create(settings, users);

        assertThat(verifyNow("bob", "bob-pw")).isEqualTo(AuthResult.success("bob"));
        assertThat(verifier.verify(creds("bob", "bob-pw"), client)).isCompletedWithValue(AuthResult.success("bob"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
