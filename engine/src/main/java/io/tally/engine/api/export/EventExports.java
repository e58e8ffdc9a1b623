package io.tally.engine.api.export;

import io.tally.store.state.FreeSpace;

import java.nio.file.Path;

/**
 * The event store's exports as the API sees them: an event store running beside the engine (made after it) plugs its
 * writer in here; until then, or without a store, there is none and the export endpoint says so.
 */
public final class EventExports
{
    /** Writes a site's events of a range to a file; runs on an API thread. */
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

        /** The bytes the store holds for {@code site}'s events of the range: what an export of it is sized by. */
        long storedBytes(String site, long fromMillis, long toMillis);
    }

    /**
     * An export is written only when the disk has this many times the range's stored bytes free above the engine's
     * reserve, the journal never being the one to run out. Measured over a million events of a shop (pageviews and
     * custom events with properties and revenue; BENCHMARKS.md, "Event exports: size against the store"): NDJSON
     * 53.9 times the stored bytes, CSV 15.8, Parquet 1.06. Events that repeat less than those compress less in the
     * store, so the factors are set above what was measured there.
     */
    static final int NDJSON_EXPANSION = 64;
    static final int CSV_EXPANSION = 24;
    static final int PARQUET_EXPANSION = 2;

    private final FreeSpace freeSpace;
    private volatile Writer writer;
    private volatile Path scratch;

    public EventExports(final FreeSpace freeSpace)
    {
        this.freeSpace = freeSpace;
    }

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

    /** The bytes an export of the range in {@code format} may take, at most (as far as can be told before). */
    long estimate(final Writer store, final String site, final long fromMillis, final long toMillis, final String format)
    {
        final int expansion = switch (format)
        {
            case "parquet" -> PARQUET_EXPANSION;
            case "csv" -> CSV_EXPANSION;
            default -> NDJSON_EXPANSION;
        };
        return store.storedBytes(site, fromMillis, toMillis) * expansion;
    }

    /** Whether writing {@code bytes} would leave the engine's free space reserve (a fresh reading). */
    boolean fits(final long bytes)
    {
        return freeSpace.allows(bytes);
    }
}
