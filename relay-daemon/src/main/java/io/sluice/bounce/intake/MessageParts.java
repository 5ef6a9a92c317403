package io.sluice.bounce.intake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * A report message taken apart with Apache mime4j: its own headers, the human-readable text (the parts before the
 * returned original), the machine-readable part (message/delivery-status or message/feedback-report) and the
 * returned original's headers. Lenient: a broken MIME structure, an unknown charset or a bad transfer encoding gives
 * what can be read, never an exception. Single use, not thread-safe.
 */
final class MessageParts {
    /** Limits that keep one hostile report from costing more than a few megabytes. */
    private static final MimeConfig CONFIG = MimeConfig.custom().setMaxLineLen(-1).setMaxHeaderLen(-1)
            .setMaxHeaderCount(-1).setMaxContentLen(16L * 1024 * 1024).build();
    private static final int MAX_DEPTH = 5;
    /** The notice text kept: real notices are a few kilobytes; the rest of a hostile one is not looked at. */
    private static final int MAX_NOTICE_CHARS = 256 * 1024;
    /** A header value kept: enough for any real From, To or X-Failed-Recipients list. */
    private static final int MAX_HEADER_CHARS = 4 * 1024;
    /** The machine-readable parts kept (delivery-status, feedback-report, the original's headers). */
    private static final int MAX_PART_CHARS = 256 * 1024;
    /** Text that starts with two header fields: a message, not a notice. */
    private static final java.util.regex.Pattern HEADER_BLOCK = java.util.regex.Pattern.compile(
            "\\A\\s*(?:return-path|received|from|date|message-id|to|subject|mime-version|x-[\\w-]+):[^\\n]*\\n"
            + "(?:[ \\t][^\\n]*\\n)*(?:return-path|received|from|date|message-id|to|subject|mime-version|x-[\\w-]+):",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    final Message message;
    final StringBuilder notification = new StringBuilder();
    String deliveryStatus = "";
    String feedbackReport = "";
    String originalHeaders = "";
    /** The first attached message (the returned original, or a bounce forwarded as an attachment), or null. */
    Message attached;
    private boolean seenOriginal;

    private MessageParts(Message message) {
        this.message = message;
    }

    static MessageParts of(byte[] raw) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(CONFIG);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        return of(builder.parseMessage(new ByteArrayInputStream(raw)));
    }

    static MessageParts of(Message m) {
        MessageParts parts = new MessageParts(m);
        parts.walk(m, 0);
        return parts;
    }

    /** The first value of a header of the report itself, decoded (RFC 2047), "" when absent. */
    String header(String name) {
        return header(message, name);
    }

    static String header(Entity entity, String name) {
        if (entity.getHeader() == null) {
            return "";
        }
        Field f = entity.getHeader().getField(name);
        if (f == null || f.getBody() == null) {
            return "";
        }
        String body = f.getBody(); // bounded before any pattern looks at it: a hostile header can be megabytes
        body = body.length() > MAX_HEADER_CHARS ? body.substring(0, MAX_HEADER_CHARS) : body;
        return DecoderUtil.decodeEncodedWords(body, DecodeMonitor.SILENT).trim();
    }

    private void walk(Entity entity, int depth) {
        Body body = entity.getBody();
        String type = mimeType(entity);
        if (body instanceof Multipart mp) {
            if (depth == 0 && mp.getPreamble() != null && !seenOriginal) {
                notification.append(mp.getPreamble()).append('\n'); // some MTAs write the notice there
            }
            if (depth < MAX_DEPTH) {
                for (Entity part : mp.getBodyParts()) {
                    walk(part, depth + 1);
                }
            }
        } else if (body instanceof Message original) {
            if (!seenOriginal && depth > 0) {
                seenOriginal = true;
                attached = original;
                originalHeaders = headersOf(original);
            }
        } else if (body instanceof SingleBody single) {
            String text = text(single);
            if (text.length() > MAX_PART_CHARS) {
                text = text.substring(0, MAX_PART_CHARS); // before any pattern: none is run on the rest
            }
            switch (type) {
                case "message/delivery-status":
                case "message/global-delivery-status":
                    deliveryStatus = deliveryStatus.isEmpty() ? text : deliveryStatus;
                    break;
                case "message/feedback-report":
                    feedbackReport = feedbackReport.isEmpty() ? text : feedbackReport;
                    break;
                case "text/rfc822-headers":
                case "message/rfc822-headers":
                case "text/rfc822":
                case "message/rfc822":
                case "message/global":
                case "message/global-headers":
                    if (!seenOriginal) {
                        seenOriginal = true;
                        originalHeaders = text;
                    }
                    break;
                default:
                    if (!seenOriginal && depth > 0 && notification.length() > 0 && HEADER_BLOCK.matcher(text).find()) {
                        seenOriginal = true; // the returned original sent as a text part: headers first
                        originalHeaders = text;
                    } else if (!seenOriginal && (type.startsWith("text/") || depth == 0)
                            && notification.length() < MAX_NOTICE_CHARS) {
                        String notice = type.equals("text/html") ? HtmlText.strip(text) : text;
                        notification.append(notice, 0, Math.min(notice.length(),
                                MAX_NOTICE_CHARS - notification.length())).append('\n');
                    }
            }
        }
    }

    private static String mimeType(Entity entity) {
        if (entity.getHeader() != null && entity.getHeader().getField("Content-Type") instanceof ContentTypeField ct) {
            return ct.getMimeType().toLowerCase(Locale.ROOT);
        }
        return entity.getMimeType() == null ? "text/plain" : entity.getMimeType().toLowerCase(Locale.ROOT);
    }

    private static String headersOf(Message original) {
        StringBuilder out = new StringBuilder();
        if (original.getHeader() != null) {
            for (Field f : original.getHeader().getFields()) {
                String value = f.getBody() == null ? "" : f.getBody();
                out.append(f.getName()).append(": ")
                        .append(value, 0, Math.min(value.length(), MAX_HEADER_CHARS)).append('\n');
                if (out.length() > MAX_PART_CHARS) {
                    break;
                }
            }
        }
        return out.toString();
    }

    private static String text(SingleBody body) {
        try {
            if (body instanceof TextBody tb) {
                try (Reader r = tb.getReader()) {
                    StringBuilder out = new StringBuilder();
                    char[] buf = new char[8192];
                    for (int n; (n = r.read(buf)) > 0; ) {
                        out.append(buf, 0, n);
                    }
                    return out.toString();
                } catch (IOException | RuntimeException e) {
                    // an unknown charset or broken encoding: fall through to the raw bytes
                }
            }
            try (InputStream in = body.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A line of a bounce forwarded with "> " quoting, unquoted once; a transcript's own {@code >>> RCPT} and
     * {@code <<< 550} lines are kept as they are (quoted once they read {@code >>>> RCPT}).
     */
    private static String unquoted(String line) {
        if (line.startsWith("> ")) {
            return line.substring(2);
        }
        if (line.equals(">") || line.startsWith(">>>>")) {
            return line.substring(1);
        }
        return line;
    }

    /** The lines of the notification text, with a returned original that was pasted in as text cut off. */
    List<String> notificationLines() {
        List<String> out = new ArrayList<>();
        for (String raw : notification.toString().split("\r?\n|\r")) {
            String line = unquoted(raw);
            if (OriginalMarker.startsOriginal(line)) {
                break;
            }
            out.add(unquoted(line));
        }
        return out;
    }

    /** The returned original's headers, or the text after the marker where the original was pasted in. */
    String originalHeaderText() {
        if (!originalHeaders.isEmpty()) {
            return originalHeaders;
        }
        String text = notification.toString();
        String[] lines = text.split("\r?\n|\r");
        StringBuilder out = new StringBuilder();
        boolean after = false;
        for (String line : lines) {
            if (!after && OriginalMarker.startsOriginal(line)) {
                after = true;
                continue;
            }
            if (after) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
