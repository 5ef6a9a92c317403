package io.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command: entry point of the runnable jar. Each subcommand is its own class; exit codes are
 * 0 success, 1 a problem the command found (invalid config, failed action, not found), 2 bad usage (or, for the
 * admin-API commands, an unreachable daemon), 3 admin token refused.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceCli.Version.class,
        description = "Sluice SMTP relay: daemon and operator commands.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, ReloadCommand.class, JournalCommand.class,
                UsersCommand.class, StatusCommand.class, QueueCommand.class, InspectCommand.class,
                FlushCommand.class, SuspendCommand.class, ResumeCommand.class, HoldCommand.class,
                ReleaseCommand.class, BounceCommand.class, RouteCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class, ShapingCommand.class, WarmupCommand.class,
                ClassifyCommand.class, SuppressCommand.class, DkimCommand.class, DnsCommand.class})
public final class SluiceCli {

    public static void main(String[] args) {
        int code = new CommandLine(new SluiceCli()).execute(args);
        if (code != 0 || !RunCommand.isRunning()) {
            System.exit(code);
        }
    }

    /** The jar's Implementation-Version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SluiceCli.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (version == null ? "development build" : version)};
        }
    }
}
