package io.sluice.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BearerTokenTest {
    static final String TOKEN = "k3y-0f_adm1n.t0ken~ABC+/xyz==";

    @TempDir
    Path dir;

    /** Writes a token file with these permissions, like an operator's {@code install -m}. */
    static Path tokenFile(Path dir, String content, String perms) throws IOException {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        return file;
    }

    @Test
    void shouldLoadAnOwnerOnlyFileAndIgnoreTheTrailingNewline() throws IOException {
        BearerToken token = BearerToken.load(tokenFile(dir, TOKEN + "\n", "rw-------"));

        assertThat(token.matches(TOKEN)).isTrue();
        assertThat(token.matches(TOKEN + "\n")).isFalse();
        assertThat(token.toString()).doesNotContain(TOKEN);
    }

    @Test
    void shouldAcceptAReadOnlyOwnerFile() throws IOException {
        assertThat(BearerToken.load(tokenFile(dir, TOKEN, "r--------")).matches(TOKEN)).isTrue();
    }

    @Test
    void shouldRefuseAFileReadableByOthersNamingTheFile() throws IOException {
        Path file = tokenFile(dir, TOKEN, "rw-r--r--");

        assertThatThrownBy(() -> BearerToken.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void shouldRefuseAFileReadableByGroup() throws IOException {
        Path file = tokenFile(dir, TOKEN, "rw-r-----");
        assertThatThrownBy(() -> BearerToken.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("group or others");
    }

    @Test
    void shouldRefuseAFileWritableByOthers() throws IOException {
        Path file = tokenFile(dir, TOKEN, "rw-----w-");
        assertThatThrownBy(() -> BearerToken.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void shouldRefuseAMissingFile() {
        Path file = dir.resolve("absent.token");
        assertThatThrownBy(() -> BearerToken.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void shouldRefuseAShortOrMalformedToken() throws IOException {
        Path shortFile = tokenFile(dir, "abc\n", "rw-------");
        assertThatThrownBy(() -> BearerToken.load(shortFile)).isInstanceOf(IOException.class)
                .hasMessageContaining(shortFile.toString()).hasMessageContaining("shorter than 16");

        Path spaced = tokenFile(dir, "abcdefgh ijklmnopq", "rw-------");
        assertThatThrownBy(() -> BearerToken.load(spaced)).isInstanceOf(IOException.class)
                .hasMessageContaining("position 9");

        Path empty = tokenFile(dir, "", "rw-------");
        assertThatThrownBy(() -> BearerToken.load(empty)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldMatchOnlyAWellFormedBearerHeaderWithTheToken() throws IOException {
        BearerToken token = BearerToken.load(tokenFile(dir, TOKEN, "rw-------"));

        assertThat(token.matchesAuthorization("Bearer " + TOKEN)).isTrue();
        assertThat(token.matchesAuthorization("bearer " + TOKEN)).isTrue();
        assertThat(token.matchesAuthorization("Bearer " + TOKEN + "x")).isFalse();
        assertThat(token.matchesAuthorization("Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(token.matchesAuthorization("Basic " + TOKEN)).isFalse();
        assertThat(token.matchesAuthorization(TOKEN)).isFalse();
        assertThat(token.matchesAuthorization("Bearer ")).isFalse();
        assertThat(token.matchesAuthorization(null)).isFalse();
        assertThat(token.matches(null)).isFalse();
    }
}
