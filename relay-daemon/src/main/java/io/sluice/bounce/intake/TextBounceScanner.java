package io.sluice.bounce.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the bounced recipients, and the text about each, in the human-readable notice of a bounce (Exim, qmail,
 * Sendmail transcripts, Gmail, Exchange, the Japanese carriers, ...): the format-independent way, by where an address
 * stands rather than by one MTA's wording.
 *
 * <p>An address alone on its line, or opening it ({@code <a@b>:}, {@code a@b: ...}), or after "to"/"RCPT TO:"/
 * "recipient" is a recipient; an address mentioned elsewhere (a help address, the sender, a quoted reply) counts only
 * when nothing stronger is there. The text about a recipient runs from its line to the next recipient's. Addresses
 * the caller excludes (the report's own From, To, Return-Path) and role addresses (mailer-daemon, postmaster) never
 * count. Stateless.
 */
final class TextBounceScanner {
    static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9._%+!#$&'*/=?^`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z]{2,}");
    private static final Pattern LEADS_TO = Pattern.compile(
            "(?i)(?:\\bto|\\bfor|recipient|recipients|address|rcpt to|rcpt|destinataire|an|user)"
                    + "\\s*:?\\s*[<\"'(\\[]*$");
    /** Sendmail transcript lines (">>> RCPT To:", "<<< 550 ...") and per-host lines ("550 host (smtp)... ..."). */
    private static final Pattern BELONGS_TO_NEXT = Pattern.compile(
            "^\\s*(?:>>>|<<<|[45]\\d\\d [\\w.-]+ \\((?:e?smtp|relay|local)\\)\\.\\.\\.|while talking to)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SENDMAIL_ERROR = Pattern.compile("[45]\\d\\d\\s*<");
    private static final Pattern QUOTED_HEADER = Pattern.compile(
            "(?i)^\\s*(?:to|from|cc|bcc|reply-to|sender|return-path|delivered-to|x-original-to)\\s*:");
    /** Address matching is linear per start position; bound the line so a hostile one stays cheap. */
    private static final int MAX_LINE = 1000;
    private static final Set<String> ROLES = Set.of("mailer-daemon", "postmaster", "mail-daemon", "maildaemon",
            "daemon", "root", "abuse", "noreply", "no-reply");

    /** A recipient and the lines about it. */
    record Found(String address, String text) {
    }

    private TextBounceScanner() {
    }

    static List<Found> scan(List<String> lines, Set<String> exclude) {
        Map<String, Mention> best = new LinkedHashMap<>();
        List<Mention> all = new ArrayList<>();
        int max = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.length() > MAX_LINE) {
                line = line.substring(0, MAX_LINE); // no notice names a recipient that far into a line
            }
            if (line.toLowerCase(Locale.ROOT).contains("mailto:") || line.contains("://")) {
                continue;
            }
            Matcher m = ADDRESS.matcher(line);
            while (m.find()) {
                String address = clean(m.group());
                if (isRole(address)) {
                    continue;
                }
                int strength = strength(line, m.start(), m.end());
                if (strength < 3 && exclude.contains(address)) {
                    continue; // the report's own sender or addressee, mentioned in passing
                }
                Mention mention = new Mention(address, strength, i);
                all.add(mention);
                Mention was = best.get(address);
                if (was == null || strength > was.strength()) {
                    best.put(address, mention);
                }
                max = Math.max(max, strength);
            }
        }
        List<Mention> chosen = new ArrayList<>();
        for (Mention mention : best.values()) {
            if (mention.strength() == max) {
                chosen.add(mention);
            }
        }
        chosen.sort(java.util.Comparator.comparingInt(Mention::line));
        // a recipient's text ends where another recipient is named as strongly (the next one, or an earlier one
        // again where the notice is repeated in a second language)
        List<Found> out = new ArrayList<>();
        for (Mention c : chosen) {
            int from = c.line();
            int to = lines.size();
            for (Mention m : all) {
                if (m.strength() == max && m.line() > from && m.line() < to && !m.address().equals(c.address())) {
                    to = m.line();
                }
            }
            while (to < lines.size() && to > from + 1 && BELONGS_TO_NEXT.matcher(lines.get(to - 1)).find()) {
                to--; // transcript and host lines just above the next Sendmail error line are about that one
            }
            while (from > 0 && BELONGS_TO_NEXT.matcher(lines.get(from - 1)).find()) {
                from--;
            }
            out.add(new Found(c.address(), join(lines, from, Math.max(to, from + 1))));
        }
        return fillShared(out, lines);
    }

    /** Where an address is best mentioned: 3 leads its line, 2 follows "to"/"recipient", 1 anywhere else. */
    private record Mention(String address, int strength, int line) {
    }

    /**
     * Recipients listed together above one shared explanation: a recipient whose own text is only its address gets
     * the text after the last recipient.
     */
    private static List<Found> fillShared(List<Found> found, List<String> lines) {
        if (found.size() == 1 && onlyAddress(found.get(0))) {
            // one recipient, its explanation above it ("User not listed in ...", then the address)
            return List.of(new Found(found.get(0).address(), join(lines, 0, lines.size())));
        }
        if (found.size() < 2) {
            return found;
        }
        Found last = found.get(found.size() - 1);
        List<Found> out = new ArrayList<>();
        for (Found f : found) {
            out.add(onlyAddress(f) && f != last ? new Found(f.address(), f.text() + " " + last.text()) : f);
        }
        return out;
    }

    private static boolean onlyAddress(Found f) {
        return f.text().toLowerCase(Locale.ROOT).replace(f.address(), "").replaceAll("[^a-z]", "").length() < 4;
    }

    private static int strength(String line, int start, int end) {
        if (QUOTED_HEADER.matcher(line).find()) {
            return 1; // "  To: a@b" quoting the original's header fields, not a failed recipient
        }
        String before = line.substring(0, start).trim();
        String after = line.substring(end).trim();
        if (SENDMAIL_ERROR.matcher(before).matches() && after.startsWith(">...")) {
            return 3; // Sendmail's per-recipient error line: "554 <a@b>... 550 Host unknown"
        }
        String openers = before.replaceAll("[<\"'(\\[#*\\s-]", "");
        if (openers.isEmpty()) {
            return 3; // the line starts with the address: a list of failed recipients, "<a@b>:", "a@b: 550 ..."
        }
        if (LEADS_TO.matcher(before).find()) {
            return 2;
        }
        return after.isEmpty() && before.length() < 4 ? 3 : 1;
    }

    static String clean(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        while (a.endsWith(".")) {
            a = a.substring(0, a.length() - 1);
        }
        return a;
    }

    static boolean isRole(String address) {
        int at = address.indexOf('@');
        return at > 0 && ROLES.contains(address.substring(0, at));
    }

    private static String join(List<String> lines, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            out.append(lines.get(i)).append('\n');
        }
        return out.toString();
    }
}
