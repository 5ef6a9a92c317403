package io.sluice.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice resume (--domain D | --site S | --provider P) [--source NAME]}: ends an operator's suspension of a
 * domain or site (its waiting mail goes out now) and, for a site or a provider, the traffic-shaping actions reply
 * rules put in force there (docs/shaping.md), from one source or every source.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "End a suspension of a domain or site, or the shaping actions in force on a site or provider;"
                + " its waiting mail goes out now.%nExit 0 ok, 1 the daemon said no, 2 usage/unreachable, 3 token "
                + "refused.")
final class ResumeCommand extends QueueActionCommand {
    @Mixin
    DomainOrSite target;

    @Option(names = "--provider", paramLabel = "PROVIDER",
            description = "a provider of conf/shaping.yaml: its shaping actions end (see sluice status)")
    String provider;

    @Option(names = "--source", paramLabel = "SOURCE",
            description = "with --site or --provider: only this source's shaping actions end")
    String source;

    ResumeCommand() {
        super("resume", "released");
    }

    @Override
    String invalidArguments() {
        String count = exactlyOne("--domain, --site or --provider", target.domain, target.site, provider);
        String sourceUse = source != null && target.site == null && provider == null
                ? "--source goes with --site or --provider" : null;
        return firstProblem(count, sourceUse, badName("--domain", target.domain), badName("--site", target.site),
                badName("--provider", provider), badName("--source", source));
    }

    @Override
    void parameters(Map<String, String> q) {
        target.put(q);
        q.put("provider", provider);
        q.put("source", source);
    }

    @Override
    void render(Map<String, Object> answer, PrintWriter out) {
        long lifted = num(answer, "shaping_actions_lifted");
        if (provider != null) {
            out.println("resume " + str(answer, "target") + ": " + lifted + " shaping action"
                    + (lifted == 1 ? "" : "s") + " lifted");
            return;
        }
        super.render(answer, out);
        if (lifted > 0) {
            out.println(lifted + " shaping action" + (lifted == 1 ? "" : "s") + " lifted");
        }
    }
}
