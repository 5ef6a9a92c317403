package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * A queue action aimed at a domain or one message ({@code --domain D | --id ID}, exactly one): {@code hold},
 * {@code release}, {@code bounce}. The target is checked before anything is sent and travels as query parameters.
 */
abstract class DomainOrIdCommand extends QueueActionCommand {
    @Mixin
    DomainOrId target;

    DomainOrIdCommand(String action, String verb) {
        super(action, verb);
    }

    @Override
    String invalidArguments() {
        return target.problem();
    }

    @Override
    void parameters(Map<String, String> q) {
        target.put(q);
    }
}
