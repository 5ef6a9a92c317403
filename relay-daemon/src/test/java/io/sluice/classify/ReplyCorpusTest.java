package io.sluice.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.SettingsLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in rules scored on the corpus's SMTP reply lines (replies.jsonl, reply-fragments.jsonl): reason and
 * hard/soft agreement with Sisimai's labels on the lines not marked ambiguous. Lines marked context_dependent need
 * more than the text (the bounce around it) and are counted too. Skipped, saying why, without ../shared/corpus.
 */
class ReplyCorpusTest {
    private static final Classifier CLASSIFIER = Classifier.of(SettingsLoader.defaults().bounces());

    @Test
    void shouldClassifyTheCorpusRepliesAccurately() {
        Path corpus = CorpusFiles.folder();
        assumeTrue(corpus != null, "../shared/corpus is absent: the reply-corpus accuracy test is skipped");
        List<JsonNode> lines = new ArrayList<>(CorpusFiles.lines(corpus.resolve("replies.jsonl")));
        lines.addAll(CorpusFiles.lines(corpus.resolve("reply-fragments.jsonl")));
        Score score = score(lines, true);
        System.out.println(score.summary());
        if (CorpusFiles.VERBOSE) {
            System.out.println(score.confusion);
        }
        assertThat(score.reasonAccuracy()).as(score.summary()).isGreaterThanOrEqualTo(0.90);
        assertThat(score.hardAccuracy()).as(score.summary()).isGreaterThanOrEqualTo(0.97);
    }

    static Score score(List<JsonNode> lines, boolean print) {
        Score s = new Score();
        for (JsonNode l : lines) {
            if (l.path("ambiguous").asBoolean(false)) {
                continue;
            }
            Classification c = CLASSIFIER.classify(l.get("reply").asText(), l.path("smtp_command").asText(""));
            String expected = CorpusFiles.reason(l.get("reason").asText());
            boolean reasonOk = c.reason().label().equals(expected);
            boolean hardOk = c.hard() == l.get("hard").asBoolean();
            s.add(expected, c.reason().label(), reasonOk, hardOk);
            if (print && CorpusFiles.VERBOSE && (!reasonOk || !hardOk)) {
                System.out.printf("MISS %-14s got %-14s %s %s [%s] %s%n", expected, c.reason(), c.hard(),
                        l.path("context_dependent").asBoolean() ? "C" : " ", c.rule(),
                        l.get("reply").asText().substring(0, Math.min(150, l.get("reply").asText().length())));
            }
        }
        return s;
    }
}
