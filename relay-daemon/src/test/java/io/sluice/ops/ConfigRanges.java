package io.sluice.ops;

import io.sluice.config.ConfigException;
import io.sluice.config.SettingsLoader;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The range the config loader itself enforces on one numeric key, found by asking it: the shipped file is parsed
 * again with that key's value replaced by a value below any plausible minimum, then by one above any plausible
 * maximum, and the loader's own error for that key ({@code file:line: key: 0 is below the minimum of 512}) names the
 * bound. So docs/config.md's ranges come from the same code that checks the config, not from prose.
 *
 * <p>Limits: a bound that depends on another key (e.g. {@code dead_site_max_probe} at least
 * {@code dead_site_first_probe}) is reported as it is with the shipped defaults; the key's comment explains the
 * relation. A probe the loader accepts means "no bound on that side" (no minimum above 0 or no maximum below the
 * type's limit). Stateless; each probe is one in-memory parse (milliseconds).
 */
final class ConfigRanges {
    private static final Pattern BELOW = Pattern.compile("is below the minimum of (\\S+)");
    private static final Pattern ABOVE = Pattern.compile("is above the maximum of (\\S+)");
    private static final Pattern PORT = Pattern.compile("is not a port \\((\\d+)-(\\d+)\\)");

    private ConfigRanges() {
    }

    /**
     * The enforced range of the key on {@code line} (0-based) of {@code yaml}, e.g. "512 to 64KiB",
     * "at least 1ms", or "" for a type without ranges.
     */
    static String of(String yaml, int line, String path, String type) {
        String low;
        String high;
        switch (type) {
            case "integer" -> {
                low = "0";
                high = "2147483647";
            }
            case "size" -> {
                low = "0";
                high = "8000000TiB";
            }
            case "duration" -> {
                low = "0s";
                high = "100000d";
            }
            case "decimal" -> {
                low = "0.0";
                high = "100000.0";
            }
            default -> {
                return "";
            }
        }
        String loaderPath = path.replace("[]", "[0]");
        String belowError = probe(yaml, line, low, loaderPath);
        String aboveError = probe(yaml, line, high, loaderPath);
        Matcher port = PORT.matcher(belowError);
        if (port.find()) {
            return port.group(1) + " to " + port.group(2);
        }
        Matcher min = BELOW.matcher(belowError);
        Matcher max = ABOVE.matcher(aboveError);
        String from = min.find() ? min.group(1) : low;
        if (max.find()) {
            return from + " to " + max.group(1);
        }
        return "at least " + from;
    }

    /** The loader's problems with {@code loaderPath} when its line holds {@code value}; "" when none. */
    private static String probe(String yaml, int line, String value, String loaderPath) {
        String[] lines = yaml.split("\n", -1);
        Matcher key = Pattern.compile("^( *(?:- )?[a-z_]+:)").matcher(lines[line]);
        if (!key.find()) {
            throw new IllegalArgumentException("line " + (line + 1) + " holds no key: " + lines[line]);
        }
        lines[line] = key.group(1) + " " + value;
        try {
            SettingsLoader.parse(String.join("\n", lines), "probe.yaml");
            return "";
        } catch (ConfigException e) {
            List<String> mine = e.errors().stream().filter(s -> s.contains(": " + loaderPath + ": ")).toList();
            return String.join("\n", mine);
        }
    }
}
