package io.sluice.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates docs/config.md from conf/sluice.yaml, the one place where every key is written down with its default
 * and a comment ({@code config.SettingsDefaultsTest} proves that file equals the code's defaults and names every key
 * the loader knows; the loader rejects unknown keys, so nothing in it is invented). {@link ConfigReferenceTest}
 * fails when docs/config.md differs from {@link #markdown}, so the reference cannot drift from the shipped file.
 *
 * <p>Input: the shipped file's text, in its house layout: a header comment; each top-level section preceded by
 * its comment lines; one key per line ({@code key: default  # meaning}), comment lines indented past column 0
 * continuing the previous key's meaning, {@code - item} lines giving a list key's default, {@code - key:} opening
 * a list element (path {@code listeners[].key}). Output: Markdown, one table per section with the key path, default,
 * type, the range the loader enforces ({@link ConfigRanges}), whether {@code sluice reload} applies it, and the
 * meaning.
 *
 * <p>Which keys need a restart is {@link #RESTART}, the rule of {@code config.RestartRequired}
 * ({@link ConfigReferenceTest} compares the two when that class is in the tree). Stateless; fails with
 * {@link IllegalArgumentException} naming the line on a layout it does not know.
 */
final class ConfigReference {
    /** Leaf keys whose change a reload refuses ({@code requires restart: <key>}); list elements as {@code []}. */
    static final Set<String> RESTART = Set.of(
            "listeners", "listeners[].name", "listeners[].address", "listeners[].port", "listeners[].tls",
            "listeners[].role",
            "listeners[].auth.enabled", "listeners[].auth.users_file", "listeners[].auth.allow_plaintext",
            "listeners[].auth.cache_ttl", "listeners[].auth.max_failures_per_ip",
            "smtp.hostname", "smtp.max_message_size", "smtp.max_inflight_data_bytes",
            "journal.dir", "journal.sync", "journal.checkpoint_interval", "journal.compact_after",
            "queue.dead_site_failures", "queue.dead_site_first_probe", "queue.dead_site_max_probe",
            "queue.max_in_flight",
            "admin.enabled", "admin.address", "admin.port", "admin.token_file",
            "dns.resolvers", "dns.timeout", "dns.max_cache_ttl", "dns.negative_ttl",
            "delivery.mx_port", "delivery.allow_private_mx", "delivery.ehlo_name", "delivery.bind_address",
            "delivery.tls", "delivery.max_recipients_per_transaction", "delivery.max_connections_per_site",
            "delivery.max_deliveries_per_connection", "delivery.connection_max_age", "delivery.idle_timeout",
            "delivery.dsn", "delivery.assume_delivered_on_dot_timeout", "delivery.tls_ca_file",
            "events.log_file", "events.log_max_size", "events.log_max_files", "events.max_stream_size",
            "feedback.key_file", "feedback.index_days",
            "web.enabled", "web.address", "web.port", "web.tls_cert", "web.tls_key", "web.max_connections",
            "web.max_requests_per_ip",
            "mta_sts.enabled", "mta_sts.https_port", "mta_sts.fetch_timeout");

    /** Key line: indent, optional "- ", key, ':', value (maybe empty), optional comment. */
    private static final Pattern KEY = Pattern.compile("^( *)(- )?([a-z_]+):(?: +([^#]*?))?\\s*(?:#\\s?(.*))?$");
    /** Scalar list item: indent, "- ", value, optional comment. */
    private static final Pattern ITEM =
            Pattern.compile("^( *)- +(\"[^\"]*\"|'[^']*'|[^#\\s][^#]*?)\\s*(?:#\\s?(.*))?$");
    private static final Pattern COMMENT = Pattern.compile("^( *)#\\s?(.*)$");
    private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("\\d+(KiB|MiB|GiB|TiB|KB|MB|GB|TB)");
    private static final Pattern INTEGER = Pattern.compile("\\d[\\d_]*");
    private static final Pattern DECIMAL = Pattern.compile("\\d+\\.\\d+");
    private static final Pattern SIZE_BOUND = Pattern.compile("\\d(KiB|MiB|GiB|TiB)\\b");
    private static final Pattern FIRST_WORD = Pattern.compile("^\\s*([a-z0-9_]+)");
    /** An enumeration comment: "none | starttls (...) | implicit (...)", "batch: ... | none: ...". */
    private static final Pattern CHOICE = Pattern.compile("^([a-z0-9_]+)\\b[^|]*(\\|\\s*[a-z0-9_]+\\b[^|]*)+$");

    /** One documented key. */
    record Key(String section, String path, int line, String defaultValue, String type, String range,
               String reload, String meaning) {
    }

    /** A top-level section with the comment above it. */
    record Section(String name, String description, List<Key> keys) {
    }

    private ConfigReference() {
    }

    /** docs/config.md for the given conf/sluice.yaml text. */
    static String markdown(String yaml) {
        List<String> header = new ArrayList<>();
        List<Section> sections = parse(yaml, header, true);
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n");
        md.append("<!-- Generated from conf/sluice.yaml by io.sluice.ops.ConfigReference: edit that file, then run"
                + " scripts/gen-config-doc. ConfigReferenceTest fails while this file differs. -->\n\n");
        md.append("Every key of `conf/sluice.yaml`, the shipped file, by section. Its header says:\n\n");
        for (String paragraph : header) {
            md.append(paragraph.replaceAll(" {2,}", " ")).append("\n\n");
        }
        md.append("Columns: **default** as written in the shipped file (*empty* = the meaning says what applies);"
                + " **type** as the loader reads it; **range** as the loader enforces it (found by asking it:"
                + " `sluice check-config` reports a value outside with file, line and key; some keys are also checked"
                + " against each other, as their meaning says);"
                + " **reload**: `yes` = `sluice reload` (or SIGHUP) applies a change without dropping connections or"
                + " mail, to new SMTP sessions, new outbound connections and the next delivery decisions (sessions"
                + " and connections already open keep the values they started with);"
                + " `restart` = a reload that changes it is refused as a whole with `requires restart: <key>`"
                + " (nothing is applied) and the change needs `systemctl restart sluice`. Keys of a list element"
                + " are written `listeners[].key`; adding or removing a listener needs a restart.\n");
        for (Section s : sections) {
            md.append("\n## ").append(s.name()).append("\n\n");
            if (!s.description().isEmpty()) {
                md.append(s.description()).append("\n\n");
            }
            if (s.keys().isEmpty()) {
                continue; // a list empty by default (smarthosts: []): its description says what an element holds
            }
            md.append("| key | default | type | range | reload | meaning |\n");
            md.append("|---|---|---|---|---|---|\n");
            for (Key k : s.keys()) {
                md.append("| `").append(k.path()).append("` | ")
                        .append(k.defaultValue().isEmpty() ? (k.type().equals("section") ? "" : "*empty*")
                                : "`" + k.defaultValue() + "`").append(" | ")
                        .append(k.type()).append(" | ")
                        .append(k.range().isEmpty() ? "" : cell(k.range())).append(" | ")
                        .append(k.reload()).append(" | ")
                        .append(cell(k.meaning())).append(" |\n");
            }
        }
        return md.toString();
    }

    /**
     * The sections and keys of the file, in file order; header paragraphs go to {@code header}. With
     * {@code probeRanges}, numeric keys get the range the loader enforces ({@link ConfigRanges}; the text must then
     * be a complete, valid config).
     */
    static List<Section> parse(String yaml, List<String> header, boolean probeRanges) {
        List<Section> sections = new ArrayList<>();
        List<MutableKey> keys = new ArrayList<>();
        List<String> comment = new ArrayList<>();
        String sectionName = null;
        String sectionText = "";
        Deque<Frame> open = new ArrayDeque<>(); // the mappings enclosing the next key, innermost first
        MutableKey last = null;
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m;
            if (line.isBlank()) {
                if (sectionName == null && !comment.isEmpty()) {
                    header.add(String.join(" ", comment));
                }
                comment.clear();
            } else if ((m = COMMENT.matcher(line)).matches()) {
                if (m.group(1).isEmpty()) {
                    comment.add(m.group(2).strip());
                } else if (last != null) {
                    last.meaning.append(' ').append(m.group(2).strip());
                } else {
                    throw new IllegalArgumentException("line " + (i + 1) + ": indented comment before any key");
                }
            } else if ((m = KEY.matcher(line)).matches()) {
                String name = m.group(3);
                String value = m.group(4) == null ? "" : m.group(4).strip();
                String text = m.group(5) == null ? "" : m.group(5).strip();
                if (m.group(1).isEmpty() && m.group(2) == null) {
                    if (sectionName != null) {
                        sections.add(new Section(sectionName, sectionText, finish(keys, probeRanges ? yaml : null)));
                    }
                    sectionName = name;
                    sectionText = String.join(" ", comment);
                    keys.clear();
                    open.clear();
                    open.push(new Frame(0, name));
                    last = null;
                } else {
                    int dash = m.group(1).length();
                    int column = dash + (m.group(2) != null ? 2 : 0);
                    while (!open.isEmpty() && open.peek().column() >= (m.group(2) != null ? dash + 1 : column)) {
                        open.pop();
                    }
                    if (open.isEmpty()) {
                        throw new IllegalArgumentException("line " + (i + 1) + ": key outside a section");
                    }
                    if (m.group(2) != null) { // "- key:" opens a list element
                        open.push(new Frame(dash + 1, open.peek().path() + "[]"));
                    }
                    String path = open.peek().path() + "." + name;
                    open.push(new Frame(column, path));
                    last = new MutableKey(path, i, value, text);
                    keys.add(last);
                }
                comment.clear();
            } else if ((m = ITEM.matcher(line)).matches() && last != null) {
                last.items.add(unquote(m.group(2).strip()));
                if (m.group(3) != null) {
                    last.meaning.append(" (").append(m.group(3).strip()).append(')');
                }
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a comment, key or list item: " + line);
            }
        }
        if (sectionName != null) {
            sections.add(new Section(sectionName, sectionText, finish(keys, probeRanges ? yaml : null)));
        }
        return sections;
    }

    /** Finished keys; a key with keys below it is a sub-section, restart only if all of them are. */
    private static List<Key> finish(List<MutableKey> keys, String probeYaml) {
        List<Key> done = new ArrayList<>();
        for (MutableKey k : keys) {
            List<String> children = keys.stream().map(c -> c.path).filter(c -> c.startsWith(k.path + ".")
                    || c.startsWith(k.path + "[].")).toList();
            Key key = k.finish(children);
            if (probeYaml != null) {
                String range = ConfigRanges.of(probeYaml, key.line(), key.path(), key.type());
                // A bare number the loader bounds in KiB/MiB is a size written without a unit (bytes).
                String type = key.type().equals("integer") && SIZE_BOUND.matcher(range).find() ? "size" : key.type();
                key = new Key(key.section(), key.path(), key.line(), key.defaultValue(), type, range, key.reload(),
                        key.meaning());
            }
            done.add(key);
        }
        return done;
    }

    /** An open mapping: the column its keys start at (list elements: one past the dash) and its path. */
    private record Frame(int column, String path) {
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** Type as the loader reads it, from the default's form, the key's name and the comment. */
    static String type(String name, String value, boolean list, String comment) {
        if (list || value.startsWith("[")) {
            return "list";
        }
        if (CHOICE.matcher(comment).matches()) {
            // "a (...) | b | c", or "what it is: a (...) | b": the default is the first part's choice.
            Set<String> choices = new LinkedHashSet<>();
            String[] parts = comment.split("\\|");
            for (int i = 0; i < parts.length; i++) {
                Matcher w = FIRST_WORD.matcher(parts[i]);
                boolean isDefault = i == 0
                        && Pattern.compile("\\b" + Pattern.quote(value) + "\\b").matcher(parts[i]).find();
                choices.add(isDefault ? value : w.find() ? w.group(1) : parts[i].strip());
            }
            return "one of " + String.join(", ", choices);
        }
        if (value.equals("true") || value.equals("false")) {
            return "boolean";
        }
        if (comment.contains("(duration") || DURATION.matcher(value).matches()) {
            return "duration";
        }
        if (comment.contains("(size") || SIZE.matcher(value).matches()) {
            return "size";
        }
        if (name.equals("dir") || name.endsWith("_file") || name.endsWith("_cert") || name.endsWith("_key")) {
            return "path";
        }
        if (DECIMAL.matcher(value).matches()) {
            return "decimal";
        }
        if (INTEGER.matcher(value).matches()) {
            return "integer";
        }
        return "text";
    }

    /** A key being read: list items and continuation comments still arrive after its line. */
    private static final class MutableKey {
        private final String path;
        private final int line;
        private final String value;
        private final StringBuilder meaning;
        private final List<String> items = new ArrayList<>();

        MutableKey(String path, int line, String value, String comment) {
            this.path = path;
            this.line = line;
            this.value = value;
            this.meaning = new StringBuilder(comment);
        }

        Key finish(List<String> children) {
            String name = path.substring(path.lastIndexOf('.') + 1);
            String text = meaning.toString().strip();
            String section = path.substring(0, path.indexOf('.')).replace("[]", "");
            if (!children.isEmpty()) {
                long restarts = children.stream().filter(RESTART::contains).count();
                String reload = restarts == 0 ? "yes" : restarts == children.size() ? "restart" : "per key";
                return new Key(section, path, line, "", "section", "", reload, text);
            }
            String defaultValue = items.isEmpty() ? value : "[" + String.join(", ", items) + "]";
            return new Key(section, path, line, defaultValue, type(name, value, !items.isEmpty(), text), "",
                    RESTART.contains(path) ? "restart" : "yes", text);
        }
    }
}
