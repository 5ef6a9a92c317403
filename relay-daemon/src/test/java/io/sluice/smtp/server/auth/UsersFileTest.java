package io.sluice.smtp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

    private static final Path USERS = Path.of("conf/users");
    private static final String ALICE_HASH = PasswordHash.hash("alice-pw".toCharArray(), 1000);
    private static final String BOB_HASH = PasswordHash.hash("bob-pw".toCharArray(), 2000);

    @Test
    void shouldLoadUsersSkippingCommentsAndBlankLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "# AUTH users\n\nalice:" + ALICE_HASH + "\n   # indented comment\r\n"
                + "  bob:" + BOB_HASH + "  \r\n", StandardCharsets.UTF_8);

        UsersFile users = UsersFile.load(file);

        assertThat(users.size()).isEqualTo(2);
        assertThat(users.lookup("alice").matches("alice-pw".toCharArray())).isTrue();
        assertThat(users.lookup("bob").matches("bob-pw".toCharArray())).isTrue();
        assertThat(users.maxIterations()).isEqualTo(2000);
        assertThat(users.file()).isEqualTo(file);
    }

    @Test
    void shouldCompareUserNamesCaseSensitively() throws Exception {
        UsersFile users = UsersFile.parse(USERS, List.of("Alice:" + ALICE_HASH, "alice:" + BOB_HASH));

        assertThat(users.lookup("Alice").matches("alice-pw".toCharArray())).isTrue();
        assertThat(users.lookup("alice").matches("bob-pw".toCharArray())).isTrue();
        assertThat(users.lookup("ALICE")).isNull();
    }

    @Test
    void shouldNameFileLineAndUserForABadHash() {
        List<String> lines = List.of("# users", "alice:" + ALICE_HASH, "bob:$pbkdf2-sha256$1000$!!$AAAA");

        assertThatThrownBy(() -> UsersFile.parse(USERS, lines))
                .isInstanceOf(UsersFileException.class)
                .hasMessage("conf/users:3: bad hash format for user 'bob' (salt is not base64)");
    }

    @Test
    void shouldRejectDuplicateUsersNamingBothLines() {
        List<String> lines = List.of("bob:" + BOB_HASH, "alice:" + ALICE_HASH, "", "bob:" + ALICE_HASH);

        assertThatThrownBy(() -> UsersFile.parse(USERS, lines))
                .hasMessage("conf/users:4: duplicate user 'bob' (first on line 1)");
    }

    @Test
    void shouldRejectLinesWithoutAColonOrWithABadUserName() {
        assertThatThrownBy(() -> UsersFile.parse(USERS, List.of("", "alice " + ALICE_HASH)))
                .hasMessage("conf/users:2: expected user:hash");
        assertThatThrownBy(() -> UsersFile.parse(USERS, List.of(":" + ALICE_HASH)))
                .hasMessage("conf/users:1: empty user name");
        assertThatThrownBy(() -> UsersFile.parse(USERS, List.of("al ice:" + ALICE_HASH)))
                .hasMessage("conf/users:1: user name must not contain ':', whitespace or control characters");
        assertThatThrownBy(() -> UsersFile.parse(USERS, List.of("a".repeat(257) + ":" + ALICE_HASH)))
                .hasMessage("conf/users:1: user name longer than 256 characters");
    }

    @Test
    void shouldAcceptAFileWithoutUsers() throws Exception {
        UsersFile users = UsersFile.parse(USERS, List.of("# nobody yet", ""));

        assertThat(users.size()).isZero();
        assertThat(users.lookup("alice")).isNull();
        assertThat(users.maxIterations()).isEqualTo(PasswordHash.DEFAULT_ITERATIONS);
    }

    @Test
    void shouldNameTheFileWhenItCannotBeRead(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing");
        Path latin1 = dir.resolve("latin1");
        Files.write(latin1, new byte[] {'j', (byte) 0xE9, ':', 'x'});

        assertThatThrownBy(() -> UsersFile.load(missing))
                .isInstanceOf(UsersFileException.class)
                .hasMessageStartingWith(missing + ": cannot read (NoSuchFileException");
        assertThatThrownBy(() -> UsersFile.load(latin1)).hasMessage(latin1 + ": not valid UTF-8");
    }

    @Test
    void shouldReloadIntoANewSnapshotLeavingTheOldOneIntact(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "alice:" + ALICE_HASH + "\n");
        UsersFile before = UsersFile.load(file);
        Files.writeString(file, "bob:" + BOB_HASH + "\n");

        UsersFile after = before.reload();

        assertThat(before.lookup("alice")).isNotNull();
        assertThat(before.lookup("bob")).isNull();
        assertThat(after.lookup("alice")).isNull();
        assertThat(after.lookup("bob")).isNotNull();
    }

    @Test
    void shouldFormatALineThatLoadsBack() throws Exception {
        String line = UsersFile.formatLine("carol", ALICE_HASH);

        assertThat(line).isEqualTo("carol:" + ALICE_HASH);
        assertThat(UsersFile.parse(USERS, List.of(line)).lookup("carol").matches("alice-pw".toCharArray())).isTrue();
    }

    @Test
    void shouldRefuseToFormatALineThatWouldNotLoad() {
        assertThatThrownBy(() -> UsersFile.formatLine("a:b", ALICE_HASH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain ':'");
        assertThatThrownBy(() -> UsersFile.formatLine("carol", "plaintext"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
