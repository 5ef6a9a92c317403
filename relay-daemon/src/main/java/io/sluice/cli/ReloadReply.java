package io.sluice.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /admin/reload} as the CLI reads it:
 * {@code {"applied":true|false,"errors":[...],"requiresRestart":[...]}}.
 *
 * <p>A strict reader for exactly that shape (an object whose members are a boolean and arrays of strings; other
 * members of those kinds are skipped, so a newer daemon may add some): the CLI must not print a half-understood
 * answer as if it were the outcome. String escapes per RFC 8259. Immutable result.
 *
 * @param applied         the daemon applied the file
 * @param errors          the file's errors, {@code <file>:<line>: <key>: <problem>}
 * @param requiresRestart keys that need a restart
 */
record ReloadReply(boolean applied, List<String> errors, List<String> requiresRestart) {

    /** @throws IllegalArgumentException saying where the text stops being the expected shape */
    static ReloadReply parse(String json) {
        return new Reader(json).reply();
    }

    /** One pass over the text; single use. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        ReloadReply reply() {
            Boolean applied = null;
            List<String> errors = List.of();
            List<String> restart = List.of();
            expect('{');
            if (!peek('}')) {
                do {
                    String name = string();
                    expect(':');
                    switch (name) {
                        case "applied" -> applied = bool();
                        case "errors" -> errors = strings();
                        case "requiresRestart" -> restart = strings();
                        default -> skipValue();
                    }
                } while (accept(','));
            }
            expect('}');
            skipSpace();
            if (i != s.length()) {
                throw fail("text after the object");
            }
            if (applied == null) {
                throw fail("no \"applied\" member");
            }
            return new ReloadReply(applied, errors, restart);
        }

        private boolean bool() {
            skipSpace();
            if (s.startsWith("true", i)) {
                i += 4;
                return true;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return false;
            }
            throw fail("expected true or false");
        }

        private List<String> strings() {
            List<String> out = new ArrayList<>();
            expect('[');
            if (!peek(']')) {
                do {
                    out.add(string());
                } while (accept(','));
            }
            expect(']');
            return List.copyOf(out);
        }

        private void skipValue() {
            skipSpace();
            if (peek('[')) {
                strings();
            } else if (peek('"')) {
                string();
            } else {
                bool();
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    break;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw fail("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw fail("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw fail("bad escape \\" + e);
                }
            }
            throw fail("unterminated string");
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw fail("expected '" + c + "'");
            }
        }

        private boolean accept(char c) {
            if (peek(c)) {
                i++;
                return true;
            }
            return false;
        }

        private boolean peek(char c) {
            skipSpace();
            return i < s.length() && s.charAt(i) == c;
        }

        private void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r'
                    || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private IllegalArgumentException fail(String what) {
            return new IllegalArgumentException("unexpected reload answer at offset " + i + ": " + what);
        }
    }
}
