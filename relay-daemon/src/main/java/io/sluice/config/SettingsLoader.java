package io.sluice.config;

import io.sluice.model.BounceReason;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads {@code conf/sluice.yaml} into a validated, immutable {@link Settings} snapshot: the only way settings are
 * built from a file, used at start, by {@code sluice check-config} and by reload.
 *
 * <p>Input: a UTF-8 YAML file (one document; the key reference and defaults are in the shipped
 * conf/sluice.yaml). The YAML is composed to nodes with snakeyaml-engine (never to Java objects, so no tags
 * construct anything, and every node keeps its line), then read by {@link SettingsReader}. Output: the snapshot,
 * or a {@link ConfigException} listing every problem as {@code <file>:<line>: <key path>: <problem>}. An empty
 * file gives all defaults.
 *
 * <p>With {@code shaping.file} set, that file (and {@code shaping.overrides}, merged over it) is read and validated
 * too, and its rules are part of the snapshot; its problems name the shaping file, line and key.
 *
 * <p>Side effects: checks that named files (TLS, users, token) are readable; when {@code smtp.hostname} is not
 * set, looks up this machine's name once per process. Relative paths are kept as written and resolve against the
 * working directory. Thread-safe (no shared state apart from the cached host name).
 */
public final class SettingsLoader {

    /** Bounds alias expansion so a "billion laughs" file cannot exhaust memory. */
    private static final int MAX_ALIASES = 50;

    private SettingsLoader() {
    }

    /** Reads and validates the file; the snapshot's {@code source} is {@code file}. */
    public static Settings load(Path file) throws ConfigException {
        return parse(readText(file), file.toString(), file);
    }

    /**
     * Reads only the {@code admin} section of the file (address, port, token file, all checked as in
     * {@link #load}); other sections are not read or checked. For {@code sluice reload}, which must reach the
     * daemon to report the errors of a file it is asked to apply; YAML syntax errors still fail here.
     */
    public static AdminSettings loadAdmin(Path file) throws ConfigException {
        String source = file.toString();
        Node document = compose(readText(file), source);
        ConfigErrors errors = new ConfigErrors(source);
        AdminSettings admin = AdminSection.read(YamlMapping.root(document, errors).mapping("admin"), List.of());
        errors.throwIfAny();
        return admin;
    }

    private static String readText(Path file) throws ConfigException {
        String source = file.toString();
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw fileProblem(source, "file not found" + (file.isAbsolute() ? ""
                    : " (relative to the working directory " + Path.of("").toAbsolutePath() + ")"));
        } catch (AccessDeniedException e) {
            throw fileProblem(source, "permission denied");
        } catch (CharacterCodingException e) {
            throw fileProblem(source, "not valid UTF-8");
        } catch (IOException e) {
            throw fileProblem(source, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Validates YAML text; {@code sourceName} stands for the file in messages. The snapshot's {@code source} is
     * null (no file).
     */
    public static Settings parse(String yaml, String sourceName) throws ConfigException {
        return parse(yaml, sourceName, null);
    }

    /** The snapshot of an empty file: every default. */
    public static Settings defaults() {
        try {
            return parse("", "<defaults>");
        } catch (ConfigException e) {
            throw new IllegalStateException("the built-in defaults do not validate: " + e.getMessage(), e);
        }
    }

    private static Settings parse(String yaml, String sourceName, Path source) throws ConfigException {
        Node document = compose(yaml, sourceName);
        ConfigErrors errors = new ConfigErrors(sourceName);
        Settings settings = SettingsReader.read(document, source, errors);
        errors.throwIfAny();
        Settings loaded = settings.shaping().enabled() ? settings.withShaping(loadShaping(settings)) : settings;
        loaded = loaded.withBounces(loadBounceRules(loaded));
        checkWarmups(loaded);
        return loaded;
    }

    /** Each source's warm-up names a schedule of the shaping rules (which need a shaping file). */
    private static void checkWarmups(Settings settings) throws ConfigException {
        List<String> problems = new java.util.ArrayList<>();
        for (SourceSettings s : settings.egress().sources()) {
            SourceSettings.Warmup w = s.warmup();
            if (w == null) {
                continue;
            }
            ShapingSettings.Rules rules = settings.shaping().rules();
            if (rules == null) {
                problems.add(w.where() + ": warm-up needs the shaping rules: set shaping.file");
            } else if (rules.schedule(w.schedule()) == null) {
                problems.add(w.where() + ": no warm-up schedule " + w.schedule() + " in " + settings.shaping().file()
                        + " (warmup.schedules[].name)");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * Reads {@code shaping.file}, merges {@code shaping.overrides} over it key by key ({@link YamlMerge}) and
     * validates the result; problems name the file and line they were written at.
     */
    private static ShapingSettings loadShaping(Settings settings) throws ConfigException {
        ShapingSettings s = settings.shaping();
        Path file = besideConfig(settings.source(), s.file());
        Path overrides = s.overrides() == null ? null : besideConfig(settings.source(), s.overrides());
        Node merged = compose(readText(file), file.toString());
        if (overrides != null) {
            merged = YamlMerge.merge(merged, compose(readText(overrides), overrides.toString()),
                    ShapingFileReader.NAMED_LISTS);
        }
        ConfigErrors errors = new ConfigErrors(file.toString());
        ShapingSettings.Rules rules = ShapingFileReader.read(merged, settings.delivery(), errors);
        errors.throwIfAny();
        return new ShapingSettings(file, overrides, rules);
    }

    /**
     * Reads {@code bounces.rules} (or the built-in copy of conf/bounce-rules.yaml) and {@code bounces.rules_overrides},
     * whose rules come first; problems name the file and line they were written at.
     */
    private static BounceRuleSettings loadBounceRules(Settings settings) throws ConfigException {
        BounceRuleSettings s = settings.bounces();
        Path file = s.file() == null ? null : besideConfig(settings.source(), s.file());
        Path overrides = s.overrides() == null ? null : besideConfig(settings.source(), s.overrides());
        String source = file == null ? "built-in bounce-rules.yaml" : file.toString();
        BounceRulesReader.Contents base = readRules(file == null ? builtInRules() : readText(file), source);
        List<BounceRuleSettings.Rule> rules = new java.util.ArrayList<>();
        BounceReason fallback = base.fallback();
        if (overrides != null) {
            BounceRulesReader.Contents over = readRules(readText(overrides), overrides.toString());
            rules.addAll(over.rules());
            fallback = over.fallback() != null ? over.fallback() : fallback;
        }
        rules.addAll(base.rules());
        return new BounceRuleSettings(file, overrides, rules, fallback == null ? BounceReason.ON_HOLD : fallback);
    }

    private static BounceRulesReader.Contents readRules(String yaml, String source) throws ConfigException {
        ConfigErrors errors = new ConfigErrors(source);
        BounceRulesReader.Contents contents = BounceRulesReader.read(compose(yaml, source), errors);
        errors.throwIfAny();
        return contents;
    }

    private static String builtInRules() {
        try (java.io.InputStream in = SettingsLoader.class.getResourceAsStream(BounceRuleSettings.BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("the built-in bounce rules are missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A relative path named by a config file resolved against that file's directory (the shaping files sit beside
     * sluice.yaml: they are configuration, not state); against the working directory for text without a file.
     */
    private static Path besideConfig(Path config, Path named) {
        if (named.isAbsolute() || config == null) {
            return named;
        }
        Path dir = config.toAbsolutePath().getParent();
        return dir == null ? named : dir.resolve(named).normalize();
    }

    /** The document's root node, or null for an empty document; YAML syntax errors become a ConfigException. */
    private static Node compose(String yaml, String sourceName) throws ConfigException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(sourceName)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .build();
        try {
            return new Compose(settings).composeString(yaml).orElse(null);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            String context = e.getContext() == null || e.getContext().isBlank() ? "" : e.getContext() + ": ";
            String column = mark == null ? "" : " at column " + (mark.getColumn() + 1);
            throw new ConfigException(List.of(ConfigErrors.format(sourceName, mark == null ? 0 : mark.getLine() + 1,
                    "", "YAML syntax error" + column + ": " + context + e.getProblem())));
        } catch (YamlEngineException e) {
            throw fileProblem(sourceName, "YAML error: " + e.getMessage());
        }
    }

    private static ConfigException fileProblem(String source, String problem) {
        return new ConfigException(List.of(ConfigErrors.format(source, 0, "", problem)));
    }
}
