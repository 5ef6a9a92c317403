package io.sluice.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line must be a {@code # HELP},
 * a {@code # TYPE} or a sample of the family most recently typed; anything else fails with the line number.
 *
 * <p>Checks: metric and label names are valid, label values are quoted with only {@code \\ \" \n} escapes, values
 * are floats or {@code +Inf/-Inf/NaN}, families are not repeated, a family's samples follow its TYPE, histogram
 * samples are {@code _bucket} (with {@code le}), {@code _sum}, {@code _count}, and the body ends with a newline.
 */
public final class PrometheusText {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{.*})? (\\S+)( -?[0-9]+)?");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Family(String name, String type, String help, List<Sample> samples) {
    }

    private PrometheusText() {
    }

    public static Map<String, Family> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("exposition does not end with a newline");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Family current = null;
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int n = i + 1;
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (helps.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError("line " + n + ": second HELP for " + m.group(1));
                }
            } else if ((m = TYPE.matcher(line)).matches()) {
                String name = m.group(1);
                if (families.containsKey(name)) {
                    throw new AssertionError("line " + n + ": second TYPE for " + name);
                }
                current = new Family(name, m.group(2), helps.get(name), new ArrayList<>());
                families.put(name, current);
            } else if (line.startsWith("#")) {
                throw new AssertionError("line " + n + ": unexpected comment: " + line);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                if (current == null) {
                    throw new AssertionError("line " + n + ": sample before any TYPE: " + line);
                }
                Sample sample = new Sample(m.group(1), labels(m.group(2), n), value(m.group(3), n));
                checkBelongs(current, sample, n);
                current.samples().add(sample);
            } else {
                throw new AssertionError("line " + n + ": not a HELP, TYPE or sample: '" + line + "'");
            }
        }
        return families;
    }

    private static void checkBelongs(Family family, Sample sample, int n) {
        String base = family.name();
        boolean ok = switch (family.type()) {
            case "histogram" -> (sample.name().equals(base + "_bucket") && sample.labels().containsKey("le"))
                    || sample.name().equals(base + "_sum") || sample.name().equals(base + "_count");
            case "summary" -> sample.name().equals(base) || sample.name().equals(base + "_sum")
                    || sample.name().equals(base + "_count");
            default -> sample.name().equals(base);
        };
        if (!ok) {
            throw new AssertionError("line " + n + ": sample " + sample.name() + " does not belong to "
                    + family.type() + " " + base);
        }
    }

    private static Map<String, String> labels(String block, int n) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (block == null) {
            return labels;
        }
        String s = block.substring(1, block.length() - 1);
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                throw new AssertionError("line " + n + ": label without '=' in " + block);
            }
            String name = s.substring(i, eq);
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new AssertionError("line " + n + ": bad label name '" + name + "'");
            }
            if (eq + 1 >= s.length() || s.charAt(eq + 1) != '"') {
                throw new AssertionError("line " + n + ": unquoted value of label " + name);
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (true) {
                if (j >= s.length()) {
                    throw new AssertionError("line " + n + ": unterminated value of label " + name);
                }
                char c = s.charAt(j++);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    char e = j < s.length() ? s.charAt(j++) : 0;
                    switch (e) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> throw new AssertionError("line " + n + ": bad escape in label " + name);
                    }
                } else {
                    value.append(c);
                }
            }
            if (labels.put(name, value.toString()) != null) {
                throw new AssertionError("line " + n + ": duplicate label " + name);
            }
            if (j < s.length()) {
                if (s.charAt(j) != ',') {
                    throw new AssertionError("line " + n + ": expected ',' after label " + name);
                }
                j++;
            }
            i = j;
        }
        return labels;
    }

    private static double value(String s, int n) {
        switch (s) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                if (!s.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
                    throw new AssertionError("line " + n + ": bad value '" + s + "'");
                }
                return Double.parseDouble(s);
        }
    }

    /** The value of the one sample with this name and exactly these labels; fails when absent. */
    public static double value(Map<String, Family> families, String family, String sample, Map<String, String> labels) {
        Family f = families.get(family);
        if (f == null) {
            throw new AssertionError("no family " + family + " in " + families.keySet());
        }
        return f.samples().stream()
                .filter(s -> s.name().equals(sample) && s.labels().equals(labels))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + sample + labels + " in " + f.samples()))
                .value();
    }

    /** The sum of a family's samples whose {@code label} is {@code value} (0 when the family is absent). */
    public static double sum(Map<String, Family> families, String family, String label, String value) {
        Family f = families.get(family);
        return f == null ? 0 : f.samples().stream()
                .filter(sample -> value.equals(sample.labels().get(label)))
                .mapToDouble(Sample::value).sum();
    }

    /** Sluice's delivery decisions with this outcome, over every site ({@code sluice_deliveries_total}). */
    public static double deliveries(Map<String, Family> families, String outcome) {
        return sum(families, "sluice_deliveries_total", "outcome", outcome);
    }

    /** GETs a running daemon's {@code /metrics} on loopback, fails unless 200, and parses it. */
    public static Map<String, Family> scrape(int adminPort) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }
}
