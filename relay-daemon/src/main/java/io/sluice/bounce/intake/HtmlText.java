package io.sluice.bounce.intake;

import java.util.Locale;

/**
 * The readable text of an HTML bounce notice: tags dropped (script and style with their content), the common
 * entities decoded, block ends as new lines. One linear pass (a hostile part of nothing but {@code <} costs no more
 * than its length). Stateless.
 */
final class HtmlText {
    private HtmlText() {
    }

    static String strip(String html) {
        StringBuilder out = new StringBuilder(html.length());
        String lower = html.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c != '<') {
                out.append(c);
                i++;
                continue;
            }
            int end = html.indexOf('>', i + 1);
            if (end < 0) {
                break; // an unclosed tag runs to the end: nothing readable follows
            }
            String tag = lower.substring(i + 1, Math.min(end, i + 12));
            if (tag.startsWith("script") || tag.startsWith("style")) {
                String name = tag.startsWith("script") ? "</script" : "</style";
                int close = lower.indexOf(name, end);
                int closeEnd = close < 0 ? -1 : html.indexOf('>', close);
                i = closeEnd < 0 ? html.length() : closeEnd + 1;
                continue;
            }
            if (tag.startsWith("br") || tag.startsWith("/p") || tag.startsWith("/div") || tag.startsWith("/tr")
                    || tag.startsWith("/li") || (tag.startsWith("/h") && tag.length() > 2
                    && Character.isDigit(tag.charAt(2)))) {
                out.append('\n');
            } else {
                out.append(' ');
            }
            i = end + 1;
        }
        return out.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
    }
}
