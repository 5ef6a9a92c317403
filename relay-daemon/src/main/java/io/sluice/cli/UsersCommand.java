package io.sluice.cli;

import io.sluice.smtp.server.auth.PasswordHash;
import io.sluice.smtp.server.auth.UsersFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice users hash USER}: prints a users-file line for SMTP AUTH; the password is read, never an argument. */
@Command(name = "users", mixinStandardHelpOptions = true, description = "SMTP AUTH users file tools.",
        subcommands = {UsersCommand.Hash.class})
final class UsersCommand {

    @Command(name = "hash", mixinStandardHelpOptions = true,
            description = "Read a password (terminal prompt, or first line of stdin) and print `USER:HASH` "
                    + "for the users file (salted PBKDF2-SHA256).")
    static final class Hash implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "USER", description = "the user name (case-sensitive)")
        String user;

        @Option(names = "--iterations", description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
        int iterations = 210_000;

        @Override
        public Integer call() throws Exception {
            char[] password = readPassword();
            if (password == null || password.length == 0) {
                System.err.println("sluice users hash: empty password");
                return 1;
            }
            try {
                System.out.println(UsersFile.formatLine(user, PasswordHash.hash(password, iterations)));
                return 0;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private static char[] readPassword() throws Exception {
            Console console = System.console();
            if (console != null) {
                return console.readPassword("Password: ");
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.toCharArray();
        }
    }
}
