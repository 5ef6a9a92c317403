package io.sluice.smtp.server.auth;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of the AUTH users file ({@code listeners[].auth.users_file}).
 *
 * <p>Format (UTF-8): one {@code user:$pbkdf2-sha256$<iterations>$<salt>$<hash>} per line (see {@link PasswordHash});
 * lines whose first non-blank character is {@code #} and blank lines are ignored; leading and trailing blanks of a
 * line are ignored. A user name is 1-{@value #MAX_USER_LENGTH} characters without {@code :}, whitespace or control
 * characters. User names are compared exactly as given, case-sensitively and without Unicode normalisation
 * ({@code Bob} and {@code bob} are two users), because SASL hands us the name the client typed and folding case
 * would let two file entries claim one login.
 *
 * <p>Failures: {@link #load} throws {@link UsersFileException} for the first problem found, naming file and line:
 * {@code conf/users:3: bad hash format for user 'bob' (salt is not base64)}, {@code conf/users:7: duplicate user
 * 'bob' (first on line 3)}. A file with no users is valid (nobody can log in). Every hash is parsed at load time, so
 * a verification never meets a malformed hash.
 *
 * <p>Reload: build a new snapshot with {@link #reload()} (or {@link #load}) and hand it to
 * {@link AuthVerifier#replaceUsers}; if loading fails the old snapshot stays in use. Thread-safe (immutable).
 */
public final class UsersFile {

    /** Longest user name accepted, in UTF-16 chars. */
    public static final int MAX_USER_LENGTH = 256;

    private final Path file;
    private final Map<String, PasswordHash> users;
    private final int maxIterations;

    private UsersFile(Path file, Map<String, PasswordHash> users) {
        this.file = file;
        this.users = Map.copyOf(users);
        this.maxIterations = users.values().stream()
                .mapToInt(PasswordHash::iterations).max().orElse(PasswordHash.DEFAULT_ITERATIONS);
    }

    /** Reads and validates {@code file}. */
    public static UsersFile load(Path file) throws UsersFileException {
        Objects.requireNonNull(file, "file");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new UsersFileException(file + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw new UsersFileException(file + ": cannot read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
        return parse(file, lines);
    }

    /**
     * Validates {@code lines} as the content of {@code file} (the path is used in messages and by
     * {@link #reload()}).
     */
    public static UsersFile parse(Path file, List<String> lines) throws UsersFileException {
        Objects.requireNonNull(file, "file");
        Map<String, PasswordHash> users = new HashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + lineNumber + ": ";
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new UsersFileException(where + "expected user:hash");
            }
            String user = line.substring(0, colon);
            String problem = userProblem(user);
            if (problem != null) {
                throw new UsersFileException(where + problem);
            }
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new UsersFileException(where + "bad hash format for user '" + user + "' (" + e.getMessage()
                        + ")");
            }
            Integer earlier = firstLine.putIfAbsent(user, lineNumber);
            if (earlier != null) {
                throw new UsersFileException(where + "duplicate user '" + user + "' (first on line " + earlier + ")");
            }
            users.put(user, hash);
        }
        return new UsersFile(file, users);
    }

    /**
     * One line of the users file for {@code user} and an encoded hash from {@link PasswordHash#hash}, without a line
     * terminator: {@code user:$pbkdf2-sha256$...}. For the CLI that adds users.
     *
     * @throws IllegalArgumentException if the user name or the hash would not load
     */
    public static String formatLine(String user, String encodedHash) {
        Objects.requireNonNull(user, "user");
        String problem = userProblem(user);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        PasswordHash.parse(encodedHash);
        return user + ":" + encodedHash;
    }

    /** A new snapshot of the same file; this one is unchanged. */
    public UsersFile reload() throws UsersFileException {
        return load(file);
    }

    /** The stored hash of {@code user} (exact, case-sensitive match), or {@code null} if there is no such user. */
    public PasswordHash lookup(String user) {
        return users.get(user);
    }

    /** Number of users. */
    public int size() {
        return users.size();
    }

    /** The file this snapshot was read from. */
    public Path file() {
        return file;
    }

    /**
     * The highest iteration count of any user ({@link PasswordHash#DEFAULT_ITERATIONS} when empty): the cost of the
     * decoy check made for unknown users.
     */
    public int maxIterations() {
        return maxIterations;
    }

    private static String userProblem(String user) {
        if (user.isEmpty()) {
            return "empty user name";
        }
        if (user.length() > MAX_USER_LENGTH) {
            return "user name longer than " + MAX_USER_LENGTH + " characters";
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == ':' || Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return "user name must not contain ':', whitespace or control characters";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "UsersFile[" + file + ", " + users.size() + " users]";
    }
}
