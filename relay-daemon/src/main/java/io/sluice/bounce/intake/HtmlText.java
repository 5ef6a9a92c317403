package io.sluice.bounce.intake;

import java.util.regex.Pattern;

/** The readable text of an HTML bounce notice: tags dropped, the common entities decoded, block ends as new lines. */
final class HtmlText {
    private static final Pattern SCRIPT = Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>");
    private static final Pattern BREAK = Pattern.compile("(?i)<\\s*(br|/p|/div|/tr|/li|/h\\d)\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");

    private HtmlText() {
    }

    static String strip(String html) {
        String t = SCRIPT.matcher(html).replaceAll(" ");
        t = BREAK.matcher(t).replaceAll("\n");
        t = TAG.matcher(t).replaceAll(" ");
        return t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
    }
}
