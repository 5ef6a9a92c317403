package io.sluice.cli;

import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * A queue action aimed at a domain or a site ({@code --domain D | --site S}): {@code flush} (no target: all),
 * {@code suspend}, {@code resume} (a target is required). The target is checked before anything is sent and
 * travels as query parameters.
 */
abstract class DomainOrSiteCommand extends QueueActionCommand {
    @Mixin
    DomainOrSite target;

    private final boolean targetRequired;

    DomainOrSiteCommand(String action, String verb, boolean targetRequired) {
        super(action, verb);
        this.targetRequired = targetRequired;
    }

    @Override
    String invalidArguments() {
        return target.problem(targetRequired);
    }

    @Override
    void parameters(Map<String, String> q) {
        target.put(q);
    }
}
