package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice resume (--domain D | --site S)}: ends a suspension; the waiting mail is delivered now. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "End a suspension of a domain or site; its waiting mail goes out now.%nExit 0 ok, 1 the "
                + "daemon said no, 2 usage/unreachable, 3 token refused.")
final class ResumeCommand extends QueueActionCommand {
    @Mixin
    DomainOrSite target;

    @Override
    String invalidArguments() {
        return target.problem(true);
    }

    @Override
    String action() {
        return "resume";
    }

    @Override
    String verb() {
        return "released";
    }

    @Override
    void parameters(Map<String, String> q) {
        target.put(q);
    }
}
