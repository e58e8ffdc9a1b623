package io.tally.engine.api;

import java.nio.file.Path;

/**
 * The event store's exports as the API sees them: an event store running beside the engine (made after it) plugs its
 * writer in here; until then, or without a store, there is none and the export endpoint says so.
 */
public final class EventExports
{
    /** Writes a site's events of a range to a file; runs on an API thread. */
    @FunctionalInterface
    public interface Writer
    {
        /**
         * Writes {@code site}'s events with a time from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive)
         * that meet {@code filters} (empty for all) to {@code file} in {@code format} ({@code parquet}, {@code csv} or
         * {@code ndjson}).
         *
         * @return the events written.
         * @throws IllegalArgumentException for filters that do not parse (the message says why).
         */
        long write(String site, long fromMillis, long toMillis, String format, String filters, Path file) throws Exception;
    }

    private volatile Writer writer;
    private volatile Path scratch;

    /** Plugs the store's writer in; exports are written under {@code scratchDirectory} while they are sent. */
    public void connect(final Writer storeWriter, final Path scratchDirectory)
    {
        this.scratch = scratchDirectory;
        this.writer = storeWriter;
    }

    /** The writer; null while no event store runs. */
    Writer writer()
    {
        return writer;
    }

    Path scratch()
    {
        return scratch;
    }
}
