package io.sluice.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bounce.intake.BounceClassifier;
import io.sluice.bounce.intake.BounceParser;
import io.sluice.bounce.intake.BounceReport;
import io.sluice.config.SettingsLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bounce parser and the built-in rules scored on the corpus's real bounce messages (bounces/samples, labels in
 * bounces/labels.jsonl): recipient extraction, and reason and hard/soft agreement with Sisimai's labels on the
 * records not marked ambiguous; the non-bounce samples must give no bounce. Skipped, saying why, without
 * ../shared/corpus.
 */
class BounceCorpusTest {
    private static final Classifier CLASSIFIER = Classifier.of(SettingsLoader.defaults().bounces());

    @Test
    void shouldParseAndClassifyTheCorpusBouncesAccurately() throws IOException {
        Path corpus = CorpusFiles.folder();
        assumeTrue(corpus != null, "../shared/corpus is absent: the bounce-corpus accuracy test is skipped");
        Path bounces = corpus.resolve("bounces");
        Map<String, List<BounceClassifier.Verdict>> byFile = new HashMap<>();
        Score score = new Score();
        int records = 0;
        int recipientsFound = 0;
        for (JsonNode l : CorpusFiles.lines(bounces.resolve("labels.jsonl"))) {
            String file = l.get("file").asText();
            List<BounceClassifier.Verdict> verdicts = byFile.computeIfAbsent(file, f -> verdicts(bounces.resolve(f)));
            records++;
            String recipient = l.get("recipient").asText();
            BounceClassifier.Verdict v = find(verdicts, recipient, l.path("recipient_alt").asText(""));
            if (v != null) {
                recipientsFound++;
            } else if (l.get("index").asInt() <= verdicts.size()) {
                v = verdicts.get(l.get("index").asInt() - 1);
            }
            if (l.path("ambiguous").asBoolean(false)) {
                continue;
            }
            String expected = CorpusFiles.reason(l.get("reason").asText());
            String got = v == null ? "(none)" : v.classification().reason().label();
            boolean reasonOk = got.equals(expected);
            boolean hardOk = v == null ? !l.get("hard").asBoolean() : v.classification().hard() == l.get("hard")
                    .asBoolean();
            score.add(expected, got, reasonOk, hardOk);
            if (CorpusFiles.VERBOSE && (!reasonOk || !hardOk)) {
                System.out.printf("MISS %-14s got %-14s %-5s %-22s %s | %s%n", expected, got,
                        v == null ? "" : v.classification().hard(), file.replace("samples/", ""),
                        v == null ? "" : v.classification().rule() + " " + v.recipient().command() + " "
                                + v.recipient().status(),
                        v == null ? "" : v.recipient().diagnostic().substring(0,
                                Math.min(140, v.recipient().diagnostic().length())));
            }
        }
        int negatives = 0;
        int negativesOk = 0;
        for (JsonNode n : CorpusFiles.lines(bounces.resolve("negatives.jsonl"))) {
            negatives++;
            BounceReport r = BounceParser.parse(Files.readAllBytes(bounces.resolve(n.get("file").asText())));
            negativesOk += r.kind() == BounceReport.Kind.NOT_A_BOUNCE ? 1 : 0;
        }
        double recipientShare = (double) recipientsFound / records;
        String summary = score.summary() + String.format("; recipients found %d of %d (%.1f%%); non-bounces %d of %d",
                recipientsFound, records, 100 * recipientShare, negativesOk, negatives);
        System.out.println(summary);
        if (CorpusFiles.VERBOSE) {
            System.out.println(score.confusion);
        }
        assertThat(score.reasonAccuracy()).as(summary).isGreaterThanOrEqualTo(0.90);
        assertThat(score.hardAccuracy()).as(summary).isGreaterThanOrEqualTo(0.97);
        assertThat(recipientShare).as(summary).isGreaterThanOrEqualTo(0.95);
        assertThat(negativesOk).as(summary).isEqualTo(negatives);
    }

    private static List<BounceClassifier.Verdict> verdicts(Path file) {
        try {
            return BounceClassifier.classify(BounceParser.parse(Files.readAllBytes(file)), CLASSIFIER);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static BounceClassifier.Verdict find(List<BounceClassifier.Verdict> verdicts, String recipient,
                                                 String alternative) {
        for (BounceClassifier.Verdict v : verdicts) {
            String a = v.recipient().address();
            if (a.equalsIgnoreCase(recipient) || (!alternative.isEmpty() && a.equalsIgnoreCase(alternative))) {
                return v;
            }
        }
        return null;
    }
}
