package io.sluice.config;

import io.sluice.model.BounceReason;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The bounce classification rules ({@code bounces} in sluice.yaml and the files it names; docs/BOUNCES.md): where
 * they come from and, once loaded, the rules. The {@code classify} package compiles them into a classifier.
 *
 * @param file      the rules file ({@code bounces.rules}), or null: the copy of conf/bounce-rules.yaml built into
 *                  Sluice
 * @param overrides an operator's rules file ({@code bounces.rules_overrides}) whose rules are tried before the
 *                  shipped ones, or null
 * @param rules     operator rules first, then the shipped ones, in file order; empty in a snapshot read without its
 *                  files, before {@link SettingsLoader} loads them
 * @param fallback  the reason of a failure no rule matched ({@code fallback}, default onhold)
 */
public record BounceRuleSettings(Path file, Path overrides, List<Rule> rules, BounceReason fallback) {

    /** Name of the built-in copy of conf/bounce-rules.yaml on the class path. */
    public static final String BUILT_IN = "/io/sluice/classify/bounce-rules.yaml";

    public BounceRuleSettings {
        rules = List.copyOf(rules);
        Objects.requireNonNull(fallback, "fallback");
    }

    /**
     * One rule: it matches when every condition it has holds (a list condition holds when any element matches);
     * a rule without conditions matches everything.
     *
     * @param name        the rule's name (for {@code sluice classify} output and overrides), unique per file
     * @param reason      what a match means
     * @param hard        forces the hard flag; null: the reason's rule ({@link BounceReason#isHard(int)})
     * @param phrases     lower-case, whitespace-collapsed substrings of the reply text ({@code text}); empty: any
     * @param regex       a case-insensitive pattern found in the collapsed text ({@code regex}; validated), or null
     * @param statuses    enhanced status patterns ({@code 5.1.1}, {@code *.2.2}, {@code 5.7.*}); empty: any
     * @param codes       reply code patterns ({@code 550}, {@code 55x}, {@code 5xx}); empty: any
     * @param commands    upper-case SMTP commands the reply answered ({@code command}), {@code NONE} for unknown;
     *                    empty: any
     * @param notCommands commands it must not have answered ({@code not_command})
     * @param actions     DSN actions ({@code failed}, {@code delayed}; {@code action}); empty: any
     * @param where       {@code file:line} of the rule, for messages
     */
    public record Rule(String name, BounceReason reason, Boolean hard, List<String> phrases, String regex,
                       List<String> statuses, List<String> codes, Set<String> commands, Set<String> notCommands,
                       Set<String> actions, String where) {
        public Rule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
            phrases = List.copyOf(phrases);
            statuses = List.copyOf(statuses);
            codes = List.copyOf(codes);
            commands = Set.copyOf(commands);
            notCommands = Set.copyOf(notCommands);
            actions = Set.copyOf(actions);
        }
    }
}
