package io.sluice.config;

import java.nio.file.Path;

/**
 * The lifecycle event log ({@code events} in sluice.yaml): events go to the journal's {@code events/} stream, and a
 * tailer copies them as JSON lines to a rotated log file (docs/events.md lists the fields).
 *
 * @param logFile        the JSON-lines file ({@code log_file}, default data/events/events.jsonl); rotated files get
 *                       {@code .1}, {@code .2}, ... appended
 * @param logMaxSize     rotate when the file would pass this size ({@code log_max_size}, default 100MiB)
 * @param logMaxFiles    rotated files kept besides the current one ({@code log_max_files}, default 10)
 * @param maxStreamBytes cap on the {@code events/} stream on disk; older cycles are deleted, a reader that falls
 *                       behind loses events and is told so ({@code max_stream_size}, default 1GiB)
 */
public record EventsSettings(Path logFile, long logMaxSize, int logMaxFiles, long maxStreamBytes) {

    public static final String DEFAULT_LOG_FILE = "data/events/events.jsonl";
    public static final long DEFAULT_LOG_MAX_SIZE = 100L * 1024 * 1024;
    public static final int DEFAULT_LOG_MAX_FILES = 10;
    public static final long DEFAULT_MAX_STREAM_BYTES = 1024L * 1024 * 1024;

    public static EventsSettings defaults() {
        return new EventsSettings(Path.of(DEFAULT_LOG_FILE), DEFAULT_LOG_MAX_SIZE, DEFAULT_LOG_MAX_FILES,
                DEFAULT_MAX_STREAM_BYTES);
    }
}
