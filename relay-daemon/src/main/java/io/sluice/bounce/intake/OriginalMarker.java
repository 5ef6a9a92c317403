package io.sluice.bounce.intake;

import java.util.regex.Pattern;

/**
 * Recognises the line where a text bounce starts quoting the returned original message ("------ This is a copy of
 * the message, including all the headers. ------", "--- Below this line is a copy of the message.",
 * "----- Original message -----", "Message headers follow."): everything after it is the original, not the
 * notice, and its addresses are not bounced recipients.
 */
final class OriginalMarker {
    private static final Pattern MARKER = Pattern.compile("(?i)^\\s*(?:[-=_*]{2,}.*)?(?:"
            + "original message|below this line is a copy|this is a copy of|copy of the (?:original )?message"
            + "|unsent message|undelivered message|returned message|original message follows|message follows"
            + "|headers? (?:of the original|follow)|original headers|the header of the original|message headers follow"
            + "|rfc822 headers|content of the returned message|the original message"
            + "|original mail|part of the original|original e-?mail)"
            + "(?:.*[-=_*]{2,}\\s*|[\\s.:]*)$");

    private OriginalMarker() {
    }

    static boolean startsOriginal(String line) {
        return line.length() < 120 && MARKER.matcher(line).find();
    }
}
