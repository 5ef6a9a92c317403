package io.sluice.config;

import io.sluice.util.DataSizes;
import java.nio.file.Path;

/** Reads the {@code events} section into {@link EventsSettings}. */
final class EventsSection {

    private EventsSection() {
    }

    static EventsSettings read(YamlMapping m) {
        Path logFile = m.path("log_file", Path.of(EventsSettings.DEFAULT_LOG_FILE));
        long logMaxSize = m.size("log_max_size", EventsSettings.DEFAULT_LOG_MAX_SIZE,
                Limits.range(64 * 1024, Long.MAX_VALUE, DataSizes::format));
        int logMaxFiles = m.integer("log_max_files", EventsSettings.DEFAULT_LOG_MAX_FILES, Limits.range(1, 1000, Long::toString));
        long maxStream = m.size("max_stream_size", EventsSettings.DEFAULT_MAX_STREAM_BYTES,
                Limits.range(16L * 1024 * 1024, Long.MAX_VALUE, DataSizes::format));
        m.finish();
        return new EventsSettings(logFile, logMaxSize, logMaxFiles, maxStream);
    }
}
