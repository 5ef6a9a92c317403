package io.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.bounce.intake.BounceClassifier;
import io.sluice.bounce.intake.BounceParser;
import io.sluice.bounce.intake.BounceReport;
import io.sluice.classify.Classification;
import io.sluice.classify.Classifier;
import io.sluice.classify.Reply;
import io.sluice.config.ConfigException;
import io.sluice.config.Settings;
import io.sluice.config.SettingsLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice classify --reply "550 5.1.1 ..." [--command RCPT]} and {@code sluice classify --message FILE}: what
 * the bounce rules make of one SMTP reply, or of each recipient of a bounce, complaint or auto-reply message, as one
 * JSON object per line (reason, hard, the deciding rule). Offline: reads the config (found as {@link ConfigLocation}
 * says) for {@code bounces.rules} and {@code bounces.rules_overrides}, or uses the built-in rules when no config
 * file is there. Exit 0; 1 when the message holds nothing to classify or a file cannot be read; 2 on bad usage.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify an SMTP reply or a bounce message with the bounce rules: prints JSON per recipient "
                + "(reason in Sisimai's taxonomy, hard = suppress the address, the rule that decided).")
final class ClassifyCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigLocation location;

    @ArgGroup(multiplicity = "1")
    Input input;

    @Option(names = "--command", paramLabel = "CMD",
            description = "with --reply: the SMTP command it answered (CONNECT, EHLO, MAIL, RCPT, DATA, ...)")
    String command;

    static final class Input {
        @Option(names = "--reply", paramLabel = "TEXT", required = true,
                description = "an SMTP reply, e.g. \"550 5.1.1 <a@example.com>: user unknown\"")
        String reply;

        @Option(names = "--message", paramLabel = "FILE", required = true,
                description = "a bounce (DSN or any text format), ARF complaint or auto-reply; - reads stdin")
        Path message;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Classifier classifier;
        try {
            classifier = Classifier.of(rulesSettings().bounces());
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
        if (input.reply != null) {
            Reply reply = Reply.parse(input.reply, command);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("reply", input.reply);
            o.put("code", reply.code());
            o.put("status", reply.status());
            o.put("command", reply.command());
            put(o, classifier.classify(reply));
            out.println(JSON.writeValueAsString(o));
            out.flush();
            return 0;
        }
        byte[] raw;
        try {
            raw = input.message.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(input.message);
        } catch (NoSuchFileException e) {
            err.println("sluice classify: " + input.message + ": no such file");
            err.flush();
            return 1;
        }
        BounceReport report = BounceParser.parse(raw);
        if (report.recipients().isEmpty()) {
            err.println("sluice classify: " + input.message + ": not a bounce, complaint or auto-reply that names a "
                    + "recipient (" + report.kind().name().toLowerCase(Locale.ROOT) + ")");
            err.flush();
            return 1;
        }
        for (BounceClassifier.Verdict v : BounceClassifier.classify(report, classifier)) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("recipient", v.recipient().address());
            o.put("kind", report.kind().name().toLowerCase(Locale.ROOT));
            o.put("action", v.recipient().action());
            o.put("status", v.recipient().status());
            o.put("code", v.recipient().replyCode());
            o.put("command", v.recipient().command());
            put(o, v.classification());
            o.put("diagnostic", v.recipient().diagnostic());
            if (!report.feedbackType().isEmpty()) {
                o.put("feedback_type", report.feedbackType());
            }
            o.put("original_message_id", report.originalMessageId());
            out.println(JSON.writeValueAsString(o));
        }
        out.flush();
        return 0;
    }

    private static void put(Map<String, Object> o, Classification c) {
        o.put("reason", c.reason().label());
        o.put("hard", c.hard());
        o.put("rule", c.rule());
    }

    /** The config's bounce rules; the built-in ones when no config file was named and none is installed. */
    private Settings rulesSettings() throws ConfigException {
        Path file = location.path();
        if (location.explicit == null && System.getenv(ConfigLocation.ENV) == null && !Files.isRegularFile(file)) {
            return SettingsLoader.defaults();
        }
        return SettingsLoader.load(file);
    }
}
