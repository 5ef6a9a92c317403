package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error reporting: exact messages with file, line and key path, for every kind of problem. */
class SettingsErrorsTest {

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse(yaml, "conf/sluice.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors();
    }

    @Test
    void shouldNamePortLineAndListenerIndex() {
        String yaml = """
                listeners:
                  - name: default
                  - name: second
                    port: 70000
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:4: listeners[1].port: 70000 is not a port (1-65535)");
        assertThat(errors("listeners:\n  - name: a\n    port: 0\n")).containsExactly(
                "conf/sluice.yaml:3: listeners[0].port: 0 is not a port (1-65535)");
    }

    @Test
    void shouldRejectUnknownKeyWithSuggestion() {
        String yaml = """
                smtp:
                  max_message_size: 10MiB
                  max_comand_line: 1000
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:3: smtp.max_comand_line: unknown key (did you mean max_command_line?)");
    }

    @Test
    void shouldRejectUnknownKeysAtEveryLevel() {
        String yaml = """
                smpt:
                  hostname: a.example
                listeners:
                  - name: a
                    Port: 25
                    auth:
                      enable: true
                journal:
                  colour: blue
                queue:
                  max-pending-recipients: 5
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:1: smpt: unknown key (did you mean smtp?)",
                "conf/sluice.yaml:5: listeners[0].Port: unknown key (did you mean port?)",
                "conf/sluice.yaml:7: listeners[0].auth.enable: unknown key (did you mean enabled?)",
                "conf/sluice.yaml:9: journal.colour: unknown key",
                "conf/sluice.yaml:11: queue.max-pending-recipients: unknown key"
                        + " (did you mean max_pending_recipients?)");
    }

    @Test
    void shouldRejectWrongTypes() {
        String yaml = """
                listeners:
                  - name: a
                    port: abc
                    relay_networks: 10.0.0.0/8
                    auth: true
                smtp:
                  max_errors: {a: 1}
                  max_recipients: 1.5
                  hostname: [a, b]
                journal: fast
                admin:
                  enabled: yes
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:3: listeners[0].port: abc is not a whole number",
                "conf/sluice.yaml:4: listeners[0].relay_networks: expected a list, got 10.0.0.0/8",
                "conf/sluice.yaml:5: listeners[0].auth: expected a mapping of keys, got true",
                "conf/sluice.yaml:7: smtp.max_errors: expected a single value, got a mapping",
                "conf/sluice.yaml:8: smtp.max_recipients: 1.5 is not a whole number",
                "conf/sluice.yaml:9: smtp.hostname: expected a single value, got a list",
                "conf/sluice.yaml:10: journal: expected a mapping of keys, got fast",
                "conf/sluice.yaml:12: admin.enabled: yes is not true or false");
    }

    @Test
    void shouldRejectADocumentThatIsNotAMapping() {
        assertThat(errors("- a\n- b\n")).containsExactly("conf/sluice.yaml:1: expected a mapping of keys, got a list");
        assertThat(errors("listeners: [1]\n")).containsExactly(
                "conf/sluice.yaml:1: listeners[0]: expected a mapping of keys, got 1");
        assertThat(errors("listeners: {name: a}\n")).containsExactly(
                "conf/sluice.yaml:1: listeners: expected a list, got a mapping");
    }

    @Test
    void shouldCollectAllErrorsOrderedByLineAndJoinThemInTheMessage() {
        String yaml = """
                admin:
                  port: -1
                listeners:
                  - name: a
                    port: 99999
                smtp:
                  bare_lf: keep
                  data_timeout: 10
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SettingsLoader.parse(yaml, "conf/sluice.yaml"));

        assertThat(e.errors()).containsExactly(
                "conf/sluice.yaml:2: admin.port: -1 is not a port (1-65535)",
                "conf/sluice.yaml:5: listeners[0].port: 99999 is not a port (1-65535)",
                "conf/sluice.yaml:7: smtp.bare_lf: keep is not one of normalize, reject",
                "conf/sluice.yaml:8: smtp.data_timeout: 10 has no unit (use ms, s, m, h or d, e.g. 30s)");
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors()));
    }

    @Test
    void shouldReportDuplicateKeys() {
        String yaml = """
                smtp:
                  max_errors: 5
                  max_errors: 6
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:3: smtp.max_errors: duplicate key (first given at line 2)");
    }

    @Test
    void shouldReportYamlSyntaxErrorsWithLine() {
        String yaml = """
                smtp:
                  max_errors: 5
                   hop_limit: 3
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:3: YAML syntax error at column 13: mapping values are not allowed here");
        assertThat(errors("smtp:\n  hostname: 'unclosed\n")).containsExactly(
                "conf/sluice.yaml:3: YAML syntax error at column 1: while scanning a quoted scalar:"
                        + " found unexpected end of stream");
        assertThat(errors("smtp:\n\tmax_errors: 5\n")).hasSize(1).first().asString()
                .startsWith("conf/sluice.yaml:2: YAML syntax error at column 1: ");
        assertThat(errors("a: 1\n---\nb: 2\n")).hasSize(1).first().asString()
                .startsWith("conf/sluice.yaml:2: YAML syntax error");
    }

    @Test
    void shouldReportMissingAndUnreadableFiles(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.yaml");
        assertThat(loadErrors(missing)).containsExactly(missing + ": file not found");
        assertThat(loadErrors(dir)).hasSize(1).first().asString().startsWith(dir + ": cannot read: ");

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'s', 'm', 't', 'p', ':', ' ', (byte) 0xe9, '\n'});
        assertThat(loadErrors(latin1)).containsExactly(latin1 + ": not valid UTF-8");
    }

    @Test
    void shouldNameTheWorkingDirectoryForARelativeMissingFile() {
        Path relative = Path.of("no-such-dir/sluice.yaml");
        assertThat(loadErrors(relative)).containsExactly("no-such-dir/sluice.yaml: file not found (relative to the"
                + " working directory " + Path.of("").toAbsolutePath() + ")");
    }

    @Test
    void shouldReportErrorsWithLinesFromALoadedFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), "# comment\nqueue:\n  max_pending_recipients: 0\n");
        assertThat(loadErrors(file)).containsExactly(
                file + ":3: queue.max_pending_recipients: 0 is below the minimum of 1");
    }

    @Test
    void shouldExplainDurationAndSizeUnits() {
        String yaml = """
                smtp:
                  command_timeout: 5 minutes
                  max_message_size: 20M
                  max_pipelined_bytes: 64kb
                journal:
                  checkpoint_interval: 0s
                  min_free: -5
                """;
        String sizes = "(a whole number of bytes, optionally with a unit: B, KB, MB, GB, TB (powers of 1000) or KiB,"
                + " MiB, GiB, TiB (powers of 1024), e.g. 20MiB)";
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:2: smtp.command_timeout: 5 minutes is not a duration (a whole number with a unit:"
                        + " ms, s, m, h or d, e.g. 30s)",
                "conf/sluice.yaml:3: smtp.max_message_size: 20M is not a size " + sizes,
                "conf/sluice.yaml:4: smtp.max_pipelined_bytes: 64kb is not a size " + sizes,
                "conf/sluice.yaml:6: journal.checkpoint_interval: 0s is below the minimum of 1ms",
                "conf/sluice.yaml:7: journal.min_free: -5 is not a size " + sizes);
    }

    @Test
    void shouldRejectEmptyStringsWhereAValueIsNeeded() {
        String yaml = """
                journal:
                  dir: ""
                  sync: ''
                """;
        assertThat(errors(yaml)).containsExactly(
                "conf/sluice.yaml:2: journal.dir: must not be empty",
                "conf/sluice.yaml:3: journal.sync: \"\" is not one of batch, none");
    }

    @Test
    void shouldAcceptEnumsInAnyCase() throws Exception {
        Settings s = SettingsLoader.parse("smtp:\n  bare_lf: REJECT\njournal:\n  sync: None\n", "x.yaml");
        assertThat(s.smtp().bareLf()).isEqualTo(SmtpSettings.BareLfPolicy.REJECT);
        assertThat(s.journal().sync()).isEqualTo(JournalSettings.SyncPolicy.NONE);
    }

    @Test
    void shouldRejectMergeKeysAsUnknown() {
        String yaml = """
                smtp:
                  <<: {max_errors: 3}
                """;
        assertThat(errors(yaml)).containsExactly("conf/sluice.yaml:2: smtp.<<: unknown key");
    }

    @Test
    void shouldRefuseAliasBombs() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x]\n");
        for (int i = 0; i < 60; i++) {
            yaml.append("b").append(i).append(": &b").append(i).append(" [*a, *a]\n");
        }
        assertThat(errors(yaml.toString())).hasSize(1).first().asString().startsWith("conf/sluice.yaml: YAML error: ");
    }

    private static List<String> loadErrors(Path file) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SettingsLoader.load(file));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors();
    }
}
