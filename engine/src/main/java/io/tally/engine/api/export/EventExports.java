package io.tally.engine.api.export;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.engine.metrics.MetricFamilies;
import io.tally.engine.metrics.MetricSource;
import io.tally.store.state.FreeSpace;

import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * The event store's exports as the API sees them: an event store running beside the engine (made after it) plugs its
 * writer in here; until then, or without a store, there is none and the export endpoint says so.
 * <p>
 * An export's scratch file shares the journal's disk: one is written only when its estimate fits above the engine's
 * free space reserve, and is stopped while written should it grow past what the disk holds above the reserve after
 * all. Both refusals are counted, in {@code /metrics} as {@code tally_export_space_refusals_total{when}}:
 * {@code before_writing} (the estimate did not fit) and {@code while_writing} (the export outgrew it).
 */
public final class EventExports implements MetricSource
{
    /** Writes a site's events of a range to a file; runs on an API thread. */
    public interface Writer
    {
        /**
         * Writes {@code site}'s events with a time from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive)
         * that meet {@code filters} (empty for all) to {@code file} in {@code format} ({@code parquet}, {@code csv} or
         * {@code ndjson}). {@code stop} is asked from another thread when the disk runs short: the writer says with
         * {@link ExportStop#onStop} how its write stops (it may then throw, or return; the export is not sent).
         *
         * @return the events written.
         * @throws IllegalArgumentException for filters that do not parse (the message says why).
         */
        long write(String site, long fromMillis, long toMillis, String format, String filters, Path file, ExportStop stop)
            throws Exception;

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
    private final LongAdder refusedBefore = new LongAdder();
    private final LongAdder stoppedWhileWriting = new LongAdder();
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

    /** Starts watching the free space while the write {@code stop} stops is written. */
    SpaceWatch watch(final ExportStop stop)
    {
        return SpaceWatch.start(freeSpace, stop);
    }

    /** Whether the written export left the reserve free, and was not stopped (a fresh reading). */
    boolean heldAbove(final ExportStop stop)
    {
        return !stop.requested() && freeSpace.allows(0);
    }

    /** An export's scratch file was deleted: the free space is read again, so events wait no longer than need be. */
    void deleted()
    {
        freeSpace.refresh();
    }

    void refusedBeforeWriting()
    {
        refusedBefore.increment();
    }

    void stoppedWhileWriting()
    {
        stoppedWhileWriting.increment();
    }

    @Override
    public void addTo(final MetricSnapshots.Builder all)
    {
        all.metricSnapshot(MetricFamilies.counters("tally_export_space_refusals",
                "events exports refused 507 for the disk's free space, by when: before_writing (the estimate would not "
                    + "fit above --min-free-space), while_writing (the export grew past it and was stopped)")
            .dataPoint(MetricFamilies.counterPoint(Labels.of("when", "before_writing"), refusedBefore.sum()))
            .dataPoint(MetricFamilies.counterPoint(Labels.of("when", "while_writing"), stoppedWhileWriting.sum()))
            .build());
    }
}
