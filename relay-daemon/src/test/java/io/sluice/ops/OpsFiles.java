package io.sluice.ops;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the operations files shipped in the repository (alerts, dashboard, metrics reference) for the ops tests.
 *
 * <p>Contract: paths are resolved from the repository root (the parent of the module's {@code basedir}, which
 * surefire sets); every reader fails the test with an {@link UncheckedIOException} or a parse error naming the
 * file when the file is missing or malformed. Stateless and thread-safe.
 */
final class OpsFiles {
    static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").toAbsolutePath().normalize();
    static final Path ALERTS = ROOT.resolve("conf/prometheus/alerts.yml");
    static final Path DASHBOARD = ROOT.resolve("conf/grafana/sluice.json");
    static final Path METRICS_DOC = ROOT.resolve("docs/metrics.md");

    /** A table row of docs/metrics.md: | `name` | type | ... */
    private static final Pattern DOC_ROW = Pattern.compile("^\\|\\s*`(sluice_[a-z0-9_]+)`\\s*\\|\\s*([a-z]+)\\s*\\|",
            Pattern.MULTILINE);
    /** The marker alerts.yml puts on a rule whose metric Sluice does not export yet. */
    static final Pattern NEEDS_METRIC = Pattern.compile("#\\s*needs metric (\\S+)");

    private OpsFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Documented metric name to its type (counter, gauge, histogram). */
    static Map<String, String> documentedMetrics() {
        Map<String, String> types = new LinkedHashMap<>();
        Matcher m = DOC_ROW.matcher(read(METRICS_DOC));
        while (m.find()) {
            types.put(m.group(1), m.group(2));
        }
        return types;
    }

    /** The series names a documented metric is exposed as (a histogram's _bucket, _sum, _count). */
    static Set<String> documentedSeries() {
        Set<String> series = new TreeSet<>();
        documentedMetrics().forEach((name, type) -> {
            if (type.equals("histogram")) {
                series.add(name + "_bucket");
                series.add(name + "_sum");
                series.add(name + "_count");
            } else {
                series.add(name);
            }
        });
        return series;
    }

    /** Names marked {@code # needs metric NAME} in alerts.yml. */
    static Set<String> proposedMetrics() {
        Set<String> names = new TreeSet<>();
        Matcher m = NEEDS_METRIC.matcher(read(ALERTS));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every alerting rule of alerts.yml, as parsed YAML maps, in file order. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules() {
        Object doc = new Load(LoadSettings.builder().setLabel(ALERTS.toString()).build())
                .loadFromString(read(ALERTS));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : (List<Object>) ((Map<String, Object>) doc).get("groups")) {
            rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
        }
        return rules;
    }

    /** The dashboard, parsed as strict JSON. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> dashboard() {
        return (Map<String, Object>) StrictJson.parse(read(DASHBOARD));
    }

    /** Every panel of the dashboard, rows' nested panels included. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object p : (List<Object>) dashboard.get("panels")) {
            Map<String, Object> panel = (Map<String, Object>) p;
            all.add(panel);
            Object nested = panel.get("panels");
            if (nested instanceof List) {
                ((List<Object>) nested).forEach(n -> all.add((Map<String, Object>) n));
            }
        }
        return all;
    }

    /** Every PromQL expression of the dashboard's panel targets. */
    @SuppressWarnings("unchecked")
    static List<String> dashboardExprs(Map<String, Object> dashboard) {
        List<String> exprs = new ArrayList<>();
        for (Map<String, Object> panel : panels(dashboard)) {
            Object targets = panel.get("targets");
            if (targets instanceof List) {
                for (Object t : (List<Object>) targets) {
                    exprs.add((String) ((Map<String, Object>) t).get("expr"));
                }
            }
        }
        return exprs;
    }
}
