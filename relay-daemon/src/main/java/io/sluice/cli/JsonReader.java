package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads the admin API's JSON answers for the CLI's tables, with Jackson: objects become
 * {@link java.util.LinkedHashMap}, arrays {@link java.util.ArrayList}, integers {@link Long}, other numbers
 * {@link Double}, plus {@link String}, {@link Boolean} and {@code null}.
 *
 * <p>Strict: one JSON value surrounded only by whitespace (trailing text is an error), and a key repeated in one
 * object is an error rather than "last one wins". Anything malformed throws {@link IllegalArgumentException} with
 * Jackson's description and location. Thread-safe (the mapper is immutable once built).
 */
final class JsonReader {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private JsonReader() {
    }

    /** Parses one JSON value surrounded only by whitespace. */
    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "?" : at.getLineNr() + ":" + at.getColumnNr();
            throw new IllegalArgumentException("bad JSON at " + where + ": " + e.getOriginalMessage(), e);
        }
    }
}
