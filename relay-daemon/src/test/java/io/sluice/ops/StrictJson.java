package io.sluice.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A strict RFC 8259 JSON reader for tests, on Jackson: objects become {@link java.util.LinkedHashMap}, arrays
 * {@link java.util.ArrayList}, integers {@link Long}, other numbers {@link Double}, plus {@link String},
 * {@link Boolean} and {@code null}.
 *
 * <p>Why strict: YAML parsers accept things JSON does not (trailing commas, comments, single quotes), while
 * Grafana's import rejects them. Jackson's defaults reject those, leading zeros and bare words; this reader adds
 * {@link StreamReadFeature#STRICT_DUPLICATE_DETECTION} (a repeated key is an error, not "last one wins") and
 * {@link DeserializationFeature#FAIL_ON_TRAILING_TOKENS} (text after the document is an error).
 *
 * <p>Contract: {@link #parse} reads exactly one value surrounded only by JSON whitespace, or throws
 * {@link IllegalArgumentException} naming line:column and the problem. Thread-safe.
 */
final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private StrictJson() {
    }

    /** Parses {@code text} as one JSON document. */
    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "?" : at.getLineNr() + ":" + at.getColumnNr();
            throw new IllegalArgumentException(where + ": " + e.getOriginalMessage(), e);
        }
    }
}
