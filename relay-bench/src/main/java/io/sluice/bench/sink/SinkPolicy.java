package io.sluice.bench.sink;

import io.sluice.config.QuotaSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * How a strict sink behaves like a mailbox provider that enforces its limits ({@code sluice-bench sink --policy
 * FILE}): at most {@code connections} sessions at once (one more is refused with the provider's "too many
 * connections" reply), at most {@code message_rate} accepted messages over all sessions (GCRA; a MAIL over it gets
 * the provider's rate reply, e.g. Gmail's {@code 421 4.7.28}), and a share of recipients answered with the provider's
 * temporary ({@code tempfail}) or permanent ({@code permfail}) failure, drawn from a seeded random source.
 *
 * <pre>
 * connections: 5        # 0 or absent: no cap
 * message_rate: 20/s    # N/s, N/m or N/h, as quotas write it; absent: no cap
 * tempfail: 0.02        # share of RCPTs, 0..1
 * permfail: 0.01
 * style: gmail          # gmail | yahoo | microsoft: whose reply texts
 * seed: 1
 * </pre>
 * Errors name the file, line and key. Immutable.
 *
 * @param connections   sessions at once, 0 for no cap
 * @param ratePerPeriod messages per {@code periodNanos}, 0 for no cap
 * @param periodNanos   the rate's period
 * @param tempfail      share of recipients deferred
 * @param permfail      share of recipients refused
 * @param style         whose texts
 * @param seed          random seed for the shares
 */
public record SinkPolicy(int connections, long ratePerPeriod, long periodNanos, double tempfail, double permfail,
                         Style style, long seed) {

    /** Whose reply texts a strict sink gives (taken from those providers' published error pages). */
    public enum Style {
        GMAIL("421 4.7.0 Try again later, closing connection.",
                "421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP"
                        + " address. To protect our users from spam, mail sent from your IP address has been"
                        + " temporarily rate limited.",
                "451 4.3.0 Mail server temporarily rejected message.",
                "550 5.1.1 The email account that you tried to reach does not exist."),
        YAHOO("421 4.7.0 [TSS04] Messages from this IP temporarily deferred due to unexpected volume or user"
                + " complaints",
                "421 4.7.0 [TSS04] Messages from this IP temporarily deferred due to unexpected volume or user"
                        + " complaints",
                "451 Message temporarily deferred - [160]",
                "554 5.7.9 Message not accepted for policy reasons"),
        MICROSOFT("421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing"
                + " transmission channel",
                "451 4.7.650 The mail server has been temporarily rate limited due to IP reputation. (S843)",
                "451 4.4.0 Message failed to be made redundant",
                "550 5.5.0 Requested action not taken: mailbox unavailable (S2017)");

        final String tooManyConnections;
        final String rateLimited;
        final String tempfail;
        final String permfail;

        Style(String tooManyConnections, String rateLimited, String tempfail, String permfail) {
            this.tooManyConnections = tooManyConnections;
            this.rateLimited = rateLimited;
            this.tempfail = tempfail;
            this.permfail = permfail;
        }
    }

    /** No limits, no failures: the plain capture sink. */
    public static final SinkPolicy NONE = new SinkPolicy(0, 0, 1, 0, 0, Style.GMAIL, 1);

    private static final List<String> KEYS = List.of("connections", "message_rate", "tempfail", "permfail", "style",
            "seed");

    /** Reads a policy file; problems come back as one {@link IllegalArgumentException} naming file:line: key. */
    public static SinkPolicy read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Node root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file.toString()).build()).composeString(text)
                    .orElse(null);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(file + ": YAML error: " + e.getMessage(), e);
        }
        if (root == null) {
            return NONE;
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new IllegalArgumentException(file + ":" + line(root) + ": a policy is a mapping of keys to values");
        }
        List<String> errors = new ArrayList<>();
        int connections = 0;
        long rate = 0;
        long period = 1;
        double tempfail = 0;
        double permfail = 0;
        Style style = Style.GMAIL;
        long seed = 1;
        for (NodeTuple t : mapping.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
            Node valueNode = t.getValueNode();
            String where = file + ":" + line(valueNode) + ": " + key + ": ";
            if (!KEYS.contains(key)) {
                errors.add(file + ":" + line(t.getKeyNode()) + ": " + key + ": unknown key (known: " + KEYS + ")");
                continue;
            }
            String value = valueNode instanceof ScalarNode v ? v.getValue().trim() : null;
            if (value == null || value.isEmpty()) {
                errors.add(where + "needs a value");
                continue;
            }
            try {
                switch (key) {
                    case "connections" -> connections = nonNegative(Integer.parseInt(value));
                    case "message_rate" -> {
                        QuotaSettings.Rate r = QuotaSettings.Rate.parse(value);
                        rate = r.count();
                        period = r.period().toNanos();
                    }
                    case "tempfail" -> tempfail = share(Double.parseDouble(value));
                    case "permfail" -> permfail = share(Double.parseDouble(value));
                    case "style" -> style = Style.valueOf(value.toUpperCase(Locale.ROOT));
                    case "seed" -> seed = Long.parseLong(value);
                    default -> throw new IllegalStateException(key);
                }
            } catch (IllegalArgumentException e) { // NumberFormatException too
                String why = e instanceof NumberFormatException ? "not a number: " + value
                        : key.equals("style") && e.getMessage().startsWith("No enum") ? "one of gmail, yahoo, microsoft"
                        : e.getMessage();
                errors.add(where + why);
            }
        }
        if (tempfail + permfail > 1) {
            errors.add(file + ": tempfail + permfail is more than 1");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        return new SinkPolicy(connections, rate, period, tempfail, permfail, style, seed);
    }

    private static int nonNegative(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("must be 0 or more");
        }
        return n;
    }

    private static double share(double d) {
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("a share between 0 and 1");
        }
        return d;
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
