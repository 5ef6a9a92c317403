package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.config.ListenerSettings.TlsMode;
import io.sluice.util.CidrSet;
import io.sluice.util.IpLiteral;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of listeners (TLS files, AUTH, relay networks, names, binds) and of the admin endpoint. */
class ListenerValidationTest {

    @TempDir
    Path dir;

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse(yaml, "conf/sluice.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors();
    }

    @Test
    void shouldRequireCertificateAndKeyWhenTlsIsOn() {
        String yaml = """
                listeners:
                  - name: smtps
                    port: 465
                    tls: implicit
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:2: listeners[0].tls_cert: required when tls is implicit",
                "conf/sluice.yaml:2: listeners[0].tls_key: required when tls is implicit");
    }

    @Test
    void shouldRequireReadableCertificateAndKeyFiles() throws Exception {
        Path cert = dir.resolve("missing.pem");
        Path key = Files.writeString(dir.resolve("key.pem"), "secret");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
        String yaml = """
                listeners:
                  - name: submission
                    tls: starttls
                    tls_cert: %s
                    tls_key: %s
                """.formatted(cert, key);

        List<String> expected = Files.isReadable(key) // root can read anything; then only the cert fails
                ? List.of("conf/sluice.yaml:4: listeners[0].tls_cert: " + cert + " does not exist")
                : List.of("conf/sluice.yaml:4: listeners[0].tls_cert: " + cert + " does not exist",
                        "conf/sluice.yaml:5: listeners[0].tls_key: " + key + " is not readable by this user");
        assertThat(errors(yaml)).isEqualTo(expected);
        assertThat(errors(yaml.replace(cert.toString(), dir.toString()))).first()
                .isEqualTo("conf/sluice.yaml:4: listeners[0].tls_cert: " + dir + " is not a regular file");
    }

    @Test
    void shouldExplainThatRelativePathsResolveAgainstTheWorkingDirectory() {
        String yaml = """
                listeners:
                  - name: submission
                    tls: starttls
                    tls_cert: certs/nope.pem
                    tls_key: /nonexistent/key.pem
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:4: listeners[0].tls_cert: certs/nope.pem does not exist (relative to the working"
                        + " directory " + Path.of("").toAbsolutePath() + ")",
                "conf/sluice.yaml:5: listeners[0].tls_key: /nonexistent/key.pem does not exist");
    }

    @Test
    void shouldAcceptTlsWithReadableFilesInAnyCase() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "c");
        Path key = Files.writeString(dir.resolve("key.pem"), "k");
        Settings s = SettingsLoader.parse("""
                listeners:
                  - name: smtps
                    tls: Implicit
                    tls_cert: %s
                    tls_key: %s
                """.formatted(cert, key), "x.yaml");
        assertThat(s.listener("smtps").tls()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(s.listener("smtps").tlsCertFile()).isEqualTo(cert);
    }

    @Test
    void shouldRejectUnknownTlsMode() {
        assertThat(errors("listeners:\n  - name: a\n    tls: ssl\n")).containsExactly(
                "conf/sluice.yaml:3: listeners[0].tls: ssl is not one of none, starttls, implicit");
    }

    @Test
    void shouldRequireAUsersFileWhenAuthIsEnabled() {
        String yaml = """
                listeners:
                  - name: a
                    auth:
                      enabled: true
                      allow_plaintext: true
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:3: listeners[0].auth.users_file: required when auth is enabled");
        assertThat(errors(yaml + "      users_file: /nonexistent/users\n")).containsExactly(
                "conf/sluice.yaml:6: listeners[0].auth.users_file: /nonexistent/users does not exist");
    }

    @Test
    void shouldRejectAuthThatCouldNeverBeOffered() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "u:x");
        String yaml = """
                listeners:
                  - name: a
                    auth:
                      enabled: true
                      users_file: %s
                """.formatted(users);
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:4: listeners[0].auth.enabled: AUTH could never be offered: the listener has tls"
                        + " none and allow_plaintext is false (set tls to starttls or implicit, or allow_plaintext"
                        + " to true)");

        Settings s = SettingsLoader.parse(yaml + "      allow_plaintext: true\n", "x.yaml");
        assertThat(s.listener("a").auth().enabled()).isTrue();
        assertThat(s.listener("a").auth().usersFile()).isEqualTo(users);
        assertThat(s.listener("a").auth().allowPlaintext()).isTrue();
    }

    @Test
    void shouldNameTheIndexOfABadRelayNetwork() {
        String yaml = """
                listeners:
                  - name: a
                    relay_networks:
                      - 10.0.0.0/8
                      - 10.1.2.3/16
                      - 192.168.0.0/33
                      - localhost
                  - name: b
                    port: 2526
                    relay_networks: ["::1/128", "fe80::1%eth0", ~]
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:5: listeners[0].relay_networks[1]: 10.1.2.3/16 is not a network (host bits set;"
                        + " did you mean 10.1.0.0/16?)",
                "conf/sluice.yaml:6: listeners[0].relay_networks[2]: 192.168.0.0/33 is not a network (prefix"
                        + " length must be 0-32)",
                "conf/sluice.yaml:7: listeners[0].relay_networks[3]: localhost is not a network (localhost is not"
                        + " an IP address)",
                "conf/sluice.yaml:10: listeners[1].relay_networks[1]: fe80::1%eth0 is not a network (fe80::1%eth0"
                        + " is not an IP address (zone ids are not allowed))",
                "conf/sluice.yaml:10: listeners[1].relay_networks[2]: expected a single value, got nothing");
    }

    @Test
    void shouldAllowAnEmptyRelayListMeaningNoRelayWithoutAuth() throws Exception {
        Settings s = SettingsLoader.parse("listeners:\n  - name: a\n    relay_networks: []\n", "x.yaml");
        assertThat(s.listener("a").relayNetworks()).isEqualTo(CidrSet.EMPTY);
        assertThat(s.listener("a").relayNetworks().contains(IpLiteral.toInetAddress("127.0.0.1"))).isFalse();
    }

    @Test
    void shouldAcceptUnquotedIpv6InBlockLists() throws Exception {
        Settings s = SettingsLoader.parse("listeners:\n  - name: a\n    relay_networks:\n      - ::1/128\n"
                + "      - 2001:db8::/32\n", "x.yaml");
        assertThat(s.listener("a").relayNetworks().specs()).containsExactly("::1/128", "2001:db8::/32");
    }

    @Test
    void shouldRequireIpLiteralAddresses() {
        String yaml = """
                listeners:
                  - name: a
                    address: localhost
                  - name: b
                    address: 10.0.0.256
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:3: listeners[0].address: localhost is not an IP address (write a literal such as"
                        + " 127.0.0.1, ::1 or 0.0.0.0)",
                "conf/sluice.yaml:5: listeners[1].address: 10.0.0.256 is not an IP address (write a literal such as"
                        + " 127.0.0.1, ::1 or 0.0.0.0)");
    }

    @Test
    void shouldRequireUniqueValidNames() {
        String yaml = """
                listeners:
                  - name: default
                    port: 25
                  - port: 26
                  - name: default
                    port: 27
                  - name: "bad name"
                    port: 28
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:4: listeners[1].name: required (a unique name for logs and metrics)",
                "conf/sluice.yaml:5: listeners[2].name: default is already the name of listeners[0] (line 2)",
                "conf/sluice.yaml:7: listeners[3].name: bad name is not a valid name (letters, digits, '.', '_',"
                        + " '-'; at most 64)");
    }

    @Test
    void shouldRejectCollidingBinds() {
        String yaml = """
                listeners:
                  - name: a
                  - name: b
                  - name: c
                    address: 0.0.0.0
                    port: 2600
                  - name: d
                    address: 127.0.0.1
                    port: 2600
                  - name: e
                    address: "0:0::1"
                    port: 2700
                  - name: f
                    address: ::1
                    port: 2700
                  - name: g
                    address: ::1
                    port: 2600
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:3: listeners[1].address: 127.0.0.1:2525 collides with 127.0.0.1:2525 of"
                        + " listeners[0] (line 2)",
                "conf/sluice.yaml:9: listeners[3].port: 127.0.0.1:2600 collides with 0.0.0.0:2600 of"
                        + " listeners[2] (line 4)",
                "conf/sluice.yaml:15: listeners[5].port: [::1]:2700 collides with [0:0::1]:2700 of"
                        + " listeners[4] (line 10)");
    }

    @Test
    void shouldTreatTheIpv6WildcardAsCoveringIpv4() {
        String yaml = """
                listeners:
                  - name: all
                    address: "::"
                    port: 25
                  - name: local
                    port: 25
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:6: listeners[1].port: 127.0.0.1:25 collides with [::]:25 of listeners[0] (line 2)");
    }

    @Test
    void shouldRequireAtLeastOneListener() {
        assertThat(errors("listeners: []\n")).containsExactly(
                "conf/sluice.yaml:1: listeners: at least one listener is needed");
    }

    @Test
    void shouldKeepAdminOnLoopback() throws Exception {
        assertThat(errors("admin:\n  address: 0.0.0.0\n")).containsExactly(
                "conf/sluice.yaml:2: admin.address: 0.0.0.0 is not a loopback address (the admin endpoint must"
                        + " listen on 127.0.0.1 or ::1)");
        assertThat(errors("admin:\n  address: localhost\n")).containsExactly(
                "conf/sluice.yaml:2: admin.address: localhost is not an IP address (write a literal such as"
                        + " 127.0.0.1, ::1 or 0.0.0.0)");
        assertThat(SettingsLoader.parse("admin:\n  address: 127.0.0.2\n", "x.yaml").admin().address())
                .isEqualTo("127.0.0.2");
    }

    @Test
    void shouldRejectAnAdminPortThatCollidesWithAListener() throws Exception {
        assertThat(errors("admin:\n  port: 2525\n")).containsExactly(
                "conf/sluice.yaml:2: admin.port: 127.0.0.1:2525 collides with listener default (127.0.0.1:2525)");
        // Disabled: no socket, no collision.
        assertThat(SettingsLoader.parse("admin:\n  enabled: false\n  port: 2525\n", "x.yaml").admin().enabled())
                .isFalse();
    }

    @Test
    void shouldRequireAPrivateTokenFileWhenNamedAndPresent() throws Exception {
        // a named file that does not exist yet is the daemon's to create at start (StartupChecks), not an error here
        Path absent = dir.resolve("absent.token");
        assertThat(SettingsLoader.parse("admin:\n  token_file: " + absent + "\n", "x.yaml").admin().tokenFile())
                .isEqualTo(absent);
        Path open = Files.writeString(dir.resolve("open.token"), "t");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(errors("admin:\n  token_file: " + open + "\n")).singleElement().asString()
                .startsWith("conf/sluice.yaml:2: admin.token_file: ");
        Path token = Files.writeString(dir.resolve("token"), "t");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        assertThat(SettingsLoader.parse("admin:\n  token_file: " + token + "\n", "x.yaml").admin().tokenFile())
                .isEqualTo(token);
    }
}
