package io.tally.engine.api.export;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.engine.api.request.Answer;
import io.tally.engine.api.request.ApiDates;
import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.request.QueryParameters;
import io.tally.engine.api.request.Range;
import io.tally.engine.api.stats.StatsApi;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;

/**
 * Exports: {@code GET /api/v1/sites/{site}/events/export} (the site's events from the event store as Parquet, CSV or
 * NDJSON, written to a scratch file on this API thread and sent from it as it is, never held in memory), and
 * {@code GET /api/v1/stats/{site}/export/kpis.csv} and {@code goals.csv} (the rollups' figures a day). Each reads one
 * site: the admin token, the site's read token, or (the CSVs only) one of its share links.
 */
public final class ExportApi
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");

    private static final List<String> EVENT_PARAMETERS = List.of("from", "to", "format", "filters");
    private static final List<String> FORMATS = List.of("ndjson", "csv", "parquet");
    private static final List<String> CSV_PARAMETERS = List.of("from", "to");
    private static final int MAX_DAYS = 3660;

    private final SiteDirectory sites;
    private final EventExports events;
    private final BiPredicate<Site, String> reads;
    private final BiPredicate<Site, String> readsEvents;
    private final RollupCsv rollups;
    /** One events export at a time: each writes a scratch file as large as its range, on the data dir's disk. */
    private final AtomicBoolean exporting = new AtomicBoolean();

    /**
     * @param reads       whether an authorization reads a site's reports (admin token, read token, share link);
     * @param readsEvents whether it reads a site's events (admin token, read token: a share link is a public URL, and
     *                    shows the reports, never each event, as with the sessions list).
     */
    public ExportApi(final StatsApi stats, final SiteDirectory sites, final EventExports events, final BiPredicate<Site, String> reads,
        final BiPredicate<Site, String> readsEvents)
    {
        this.sites = sites;
        this.events = events;
        this.reads = reads;
        this.readsEvents = readsEvents;
        this.rollups = new RollupCsv(stats);
    }

    /** Whether {@code path} (the segments after {@code /api/v1/}) is an export's. */
    public boolean handles(final List<String> path)
    {
        return path.size() == 4 && (path.get(0).equals("sites") && path.get(2).equals("events") && path.get(3).equals("export") ||
            path.get(0).equals("stats") && path.get(2).equals("export"));
    }

    public Answer handle(final HttpMethod method, final List<String> path, final String authorization,
        final QueryParameters query)
    {
        final Site site = sites.byDomain(path.get(1));
        if (site == null || !reads.test(site, authorization))
        {
            return Answer.error(401, "unauthorized",
                "send Authorization: Bearer <admin token, the site's read token or a share link's id>");
        }
        if (method != HttpMethod.GET)
        {
            return Answer.error(405, "method_not_allowed", "use GET");
        }
        if (path.get(0).equals("sites"))
        {
            if (!readsEvents.test(site, authorization))
            {
                return Answer.error(403, "forbidden", "a share link reads the reports, not the events");
            }
            query.allowOnly(EVENT_PARAMETERS, "events export");
            return events(site, query);
        }
        query.allowOnly(CSV_PARAMETERS, "export");
        final Range range = range(site, query);
        return switch (path.get(3))
        {
            case "kpis.csv" -> csv(rollups.kpis(site, range));
            case "goals.csv" -> csv(rollups.goals(site, range));
            default -> Answer.error(404, "not_found", "exports: kpis.csv, goals.csv");
        };
    }

    private static Answer csv(final String body)
    {
        return new Answer(200, body, "text/csv; charset=utf-8", null);
    }

    private Answer events(final Site site, final QueryParameters query)
    {
        final Range range = range(site, query);
        final String format = query.choice("format", "ndjson", FORMATS);
        final String filters = query.has("filters") ? query.get("filters") : "";
        final EventExports.Writer writer = events.writer();
        if (writer == null)
        {
            return Answer.error(409, "event_store_off", "the event store is off: start the engine with --event-store true");
        }
        if (!exporting.compareAndSet(false, true))
        {
            return Answer.error(409, "export_running", "another events export is being written; try again in a moment");
        }
        try
        {
            final long estimate = events.estimate(writer, site.domain(), range.fromMillis(), range.toMillis(), format);
            if (!events.fits(estimate))
            {
                events.refusedBeforeWriting();
                return Answer.error(507, "insufficient_storage", "the export could take " + estimate +
                    " bytes, which would eat into the free space the journal keeps (--min-free-space): export a shorter " +
                    "range, or in Parquet");
            }
            return write(writer, site, range, format, filters);
        }
        finally
        {
            exporting.set(false);
        }
    }

    /**
     * Writes the export while its space is watched: one that was stopped, or left less free than the reserve, is
     * deleted and answered 507 (whether the write then threw or returned).
     */
    private Answer write(final EventExports.Writer writer, final Site site, final Range range,
        final String format, final String filters)
    {
        final Path file = scratchFile(format);
        final ExportStop stop = new ExportStop();
        try
        {
            try (SpaceWatch watch = events.watch(stop))
            {
                writer.write(site.domain(), range.fromMillis(), range.toMillis(), format, filters, file, stop);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            deleteQuietly(file);
            return Answer.error(400, "invalid_filters", ex.getMessage());
        }
        catch (final Exception ex)
        {
            if (!events.heldAbove(stop))
            {
                if (!stop.requested())
                {
                    // not the watch's stop: the disk filled from elsewhere, or the write failed for its own reason
                    LOG.warn("events export of {} failed with the disk under its reserve", site.domain(), ex);
                }
                return outgrewTheDisk(file);
            }
            deleteQuietly(file);
            throw new IllegalStateException("events export of " + site.domain() + " failed: " + ex.getMessage(), ex);
        }
        return events.heldAbove(stop) ? new Answer(200, null, contentType(format), file) : outgrewTheDisk(file);
    }

    /** The export grew past what the disk holds above the reserve: its part is deleted, the refusal counted. */
    private Answer outgrewTheDisk(final Path file)
    {
        final long written = sizeOf(file);
        deleteQuietly(file);
        events.deleted();
        events.stoppedWhileWriting();
        return Answer.error(507, "insufficient_storage", "the export grew past what the disk can hold above the free " +
            "space the journal keeps (--min-free-space), at " + written + " bytes, and was stopped and deleted: export a " +
            "shorter range, or in Parquet");
    }

    private Path scratchFile(final String format)
    {
        try
        {
            Files.createDirectories(events.scratch());
            final Path file = Files.createTempFile(events.scratch(), "export", "." + format);
            Files.delete(file); // DuckDB makes the file itself
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make an export's scratch file: " + ex.getMessage(), ex);
        }
    }

    private static String contentType(final String format)
    {
        return switch (format)
        {
            case "parquet" -> "application/vnd.apache.parquet";
            case "csv" -> "text/csv; charset=utf-8";
            default -> "application/x-ndjson";
        };
    }

    /** {@code from} and {@code to} (both required), whole days in the site's time zone. */
    private static Range range(final Site site, final QueryParameters query)
    {
        final String from = query.get("from");
        final String to = query.get("to");
        if (from == null || to == null)
        {
            throw new InvalidRequestException("invalid_range", "give from and to (YYYY-MM-DD)");
        }
        final LocalDate start = ApiDates.day(from);
        final LocalDate end = ApiDates.day(to);
        if (end.isBefore(start) || end.toEpochDay() - start.toEpochDay() >= MAX_DAYS)
        {
            throw new InvalidRequestException("invalid_range", "to must be on or after from, at most ten years later");
        }
        return Range.of(start, end, ZoneId.of(site.timeZone()));
    }

    private static long sizeOf(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.size(file) : 0;
        }
        catch (final IOException ex)
        {
            return 0; // gone meanwhile
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            // the scratch directory is emptied at the next start
        }
    }
}
