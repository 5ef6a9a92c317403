package io.sluice.smtp.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a fuzz input into the client side of one SMTP session: a list of {@link Step}s, each a write of command
 * bytes (and, for DATA, the message text to send after a 354). The input is text so saved inputs stay readable.
 *
 * <p>Format: one step per input line ({@code \n}), at most {@link #MAX_STEPS}. A leading {@code +} sends the step in
 * the same write as the next one (pipelining). Then one opcode character and its argument:
 * {@code E}/{@code H} EHLO/HELO, {@code M} {@code MAIL FROM:}, {@code R} {@code RCPT TO:}, {@code D} DATA (the argument
 * is the message text), {@code S} RSET, {@code N} NOOP, {@code V} VRFY, {@code X} EXPN, {@code ?} HELP, {@code T}
 * STARTTLS, {@code A} AUTH, {@code B} BDAT, {@code Q} QUIT, {@code L} a line over the command length limit,
 * {@code !} the argument alone as a raw line; any other opcode sends the whole step as a raw line. One space after
 * the opcode is dropped; the argument follows the verb and one space ({@code "E client.test"} is
 * {@code EHLO client.test}, {@code "N"} is {@code NOOP}), or the colon of MAIL/RCPT ({@code "M <a@b.test> SIZE=9"} is
 * {@code MAIL FROM:<a@b.test> SIZE=9}), after escape decoding:
 * {@code \r}, {@code \n}, {@code \0}, {@code \\}, {@code \xHH}, and {@code \L} for {@link #LONG_LINE_OCTETS}
 * {@code x}. A command without its own final LF gets CRLF; one ending in a bare LF is sent as it is. Embedded LFs
 * make several lines, which the server answers one by one.
 *
 * <p>Limits: message text is sent exactly as written except that a line of only {@code .} is dot-stuffed (it would
 * end the message early and desynchronise the reply count); the harness adds the terminating dot.
 */
final class SessionScript {
    static final int MAX_STEPS = 30;
    static final int LONG_LINE_OCTETS = 1200;

    /** One client write; {@code messageText} is non-null only for a DATA step. */
    record Step(byte[] command, byte[] messageText, boolean pipelinedWithNext) {
    }

    private SessionScript() {
    }

    static List<Step> decode(byte[] input) {
        List<Step> steps = new ArrayList<>();
        int start = 0;
        while (start < input.length && steps.size() < MAX_STEPS) {
            int end = start;
            while (end < input.length && input[end] != '\n') {
                end++;
            }
            Step step = step(input, start, end);
            if (step != null) {
                steps.add(step);
            }
            start = end + 1;
        }
        return steps;
    }

    private static Step step(byte[] input, int start, int end) {
        boolean pipelined = start < end && input[start] == '+';
        if (pipelined) {
            start++;
        }
        if (start >= end) {
            return null;
        }
        byte opcode = input[start];
        int argumentStart = start + 1 < end && input[start + 1] == ' ' ? start + 2 : start + 1;
        byte[] argument = unescape(input, argumentStart, end);
        String verb = switch (opcode) {
            case 'E' -> "EHLO ";
            case 'H' -> "HELO ";
            case 'M' -> "MAIL FROM:";
            case 'R' -> "RCPT TO:";
            case 'S' -> "RSET ";
            case 'N' -> "NOOP ";
            case 'V' -> "VRFY ";
            case 'X' -> "EXPN ";
            case '?' -> "HELP ";
            case 'T' -> "STARTTLS ";
            case 'A' -> "AUTH ";
            case 'B' -> "BDAT ";
            case 'Q' -> "QUIT ";
            default -> null;
        };
        if (opcode == 'D') {
            return new Step(line(new byte[0], "DATA"), argument, pipelined);
        }
        if (opcode == 'L') {
            return new Step(line(argument, "NOOP " + "x".repeat(2000)), null, pipelined);
        }
        if (verb != null) {
            return new Step(line(argument, argument.length == 0 ? verb.strip() : verb), null, pipelined);
        }
        byte[] raw = opcode == '!' ? argument : unescape(input, start, end);
        return new Step(line(raw, ""), null, pipelined);
    }

    /** {@code prefix} then {@code argument}, with CRLF unless it already ends in LF. */
    private static byte[] line(byte[] argument, String prefix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(argument);
        byte[] bytes = out.toByteArray();
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    static byte[] unescape(byte[] input, int start, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = start; i < end; i++) {
            byte b = input[i];
            if (b != '\\' || i + 1 >= end) {
                out.write(b);
                continue;
            }
            byte e = input[++i];
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case '0' -> out.write(0);
                case 'L' -> out.writeBytes("x".repeat(LONG_LINE_OCTETS).getBytes(StandardCharsets.US_ASCII));
                case 'x' -> {
                    if (i + 2 < end && hex(input[i + 1]) >= 0 && hex(input[i + 2]) >= 0) {
                        out.write(hex(input[i + 1]) * 16 + hex(input[i + 2]));
                        i += 2;
                    } else {
                        out.write('\\');
                        out.write('x');
                    }
                }
                default -> out.write(e);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    /**
     * The message text as sent after a 354: dot-stuffs a line of only "." (at the start, after CRLF, before CRLF or
     * the end), then the terminating {@code .CRLF} (after a CRLF of its own when the text does not end in one).
     */
    static byte[] withTerminator(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length; i++) {
            boolean lineStart = i == 0 || (i >= 2 && text[i - 2] == '\r' && text[i - 1] == '\n');
            boolean lineEnd = i + 1 == text.length
                    || (i + 2 < text.length && text[i + 1] == '\r' && text[i + 2] == '\n');
            if (text[i] == '.' && lineStart && lineEnd) {
                out.write('.');
            }
            out.write(text[i]);
        }
        int n = text.length;
        boolean endsWithCrLf = n >= 2 && text[n - 2] == '\r' && text[n - 1] == '\n';
        out.writeBytes((endsWithCrLf ? ".\r\n" : "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
