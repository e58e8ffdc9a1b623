package io.tally.ops;

import io.tally.explore.Cancellation;
import io.tally.explore.EventExport;
import io.tally.explore.EventQueries;
import io.tally.explore.filter.EventFilter;
import io.tally.explore.filter.FilterException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * {@code tally events export}: one site's events of a range of UTC days from the event store's files, as Parquet, CSV
 * or NDJSON, to a file or to standard output. It reads the files only (as every reader of the store does: what is
 * sealed, never a merge's parts), so it runs beside a running engine as well as without one.
 */
final class EventExportCommand
{
    static final Option SITE = Option.of("--site", null, null, "the site whose events to export (required)");
    static final Option FROM = Option.of("--from", null, null, "first UTC day, YYYY-MM-DD (required)");
    static final Option TO = Option.of("--to", null, null, "last UTC day, YYYY-MM-DD, included (default: --from)");
    static final Option FORMAT = Option.of("--format", null, "ndjson", "parquet, csv or ndjson");
    static final Option OUT = Option.of("--out", null, null, "the file to write (default: standard output)");
    static final Option FILTERS = Option.of("--filters", null, "", "only the events these filters keep (Plausible's v1 form, "
        + "event:name==Signup;visit:source==news.example)");
    static final List<Option> OPTIONS = List.of(SITE, FROM, TO, FORMAT, FILTERS, OUT, ServeCommand.DATA_DIR);
    private static final long DAY_MILLIS = 86_400_000L;

    private EventExportCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally events export --site S --from YYYY-MM-DD [--to YYYY-MM-DD] [--format parquet|csv|ndjson]");
        out.println("                           [--filters F] [--out FILE] [--data-dir DIR]");
        out.println();
        out.println("export: a site's events of whole UTC days from the event store, oldest first.");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        if (commandLine.wantsHelp() || !commandLine.positional().isEmpty())
        {
            printHelp(commandLine.wantsHelp() ? out : err);
            return commandLine.wantsHelp() ? 0 : 2;
        }
        final Settings settings = new Settings(commandLine, environment, Map.of());
        final String site = required(settings, SITE);
        final LocalDate from = day(required(settings, FROM), FROM);
        final LocalDate to = settings.value(TO) == null ? from : day(settings.value(TO), TO);
        if (to.isBefore(from))
        {
            throw new UsageException("--to is before --from");
        }
        final EventExport.Format format = EventExport.Format.of(settings.value(FORMAT));
        if (format == null)
        {
            throw new UsageException("--format must be parquet, csv or ndjson: '" + settings.value(FORMAT) + "'");
        }
        final EventFilter filter;
        try
        {
            filter = filter(settings.value(FILTERS));
        }
        catch (final FilterException ex)
        {
            throw new UsageException("--filters: " + ex.getMessage());
        }
        final Path dataDir = Path.of(settings.value(ServeCommand.DATA_DIR));
        final long fromMillis = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        final long toMillis = to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + DAY_MILLIS;
        try (EventQueries queries = new EventQueries(dataDir, 0))
        {
            final String outFile = settings.value(OUT);
            if (outFile != null)
            {
                final long rows = write(queries, site, fromMillis, toMillis, format, filter, Path.of(outFile));
                err.printf("exported %d events of %s to %s%n", rows, site, outFile);
                return 0;
            }
            toStandardOutput(queries, site, fromMillis, toMillis, format, filter, out);
            return 0;
        }
        catch (final SQLException ex)
        {
            err.println("tally events export: " + ex.getMessage());
            return 1;
        }
    }

    /** The export is written to a scratch file (Parquet needs a file to seek in), then copied out and deleted. */
    private static void toStandardOutput(final EventQueries queries, final String site, final long fromMillis,
        final long toMillis, final EventExport.Format format, final EventFilter filter, final PrintStream out) throws SQLException
    {
        Path scratch = null;
        try
        {
            scratch = Files.createTempFile("tally-export", "." + format.suffix());
            write(queries, site, fromMillis, toMillis, format, filter, scratch);
            Files.copy(scratch, out);
            out.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("tally events export: " + ex.getMessage(), ex);
        }
        finally
        {
            deleteQuietly(scratch);
        }
    }

    /** The API's export: {@code filters} as the event store reads them. */
    static io.tally.engine.api.export.EventExports.Writer writer(final EventQueries queries)
    {
        return new io.tally.engine.api.export.EventExports.Writer()
        {
            @Override
            public long write(final String site, final long fromMillis, final long toMillis, final String format,
                final String filters, final Path file, final io.tally.engine.api.export.ExportStop stop) throws SQLException
            {
                // a FilterException is an IllegalArgumentException: the API answers it 400 with its message
                final EventFilter filter = filter(filters);
                final Cancellation cancellation = new Cancellation();
                stop.onStop(cancellation::request); // the space watch stops the COPY: DuckDB interrupts it, and it throws
                return EventExportCommand.write(queries, site, fromMillis, toMillis, EventExport.Format.of(format), filter,
                    file, cancellation);
            }

            @Override
            public long storedBytes(final String site, final long fromMillis, final long toMillis)
            {
                return queries.storedBytes(site, fromMillis, toMillis);
            }
        };
    }

    /** {@code text} read as filters; none when empty. */
    private static EventFilter filter(final String text)
    {
        return text == null || text.isEmpty() ? EventFilter.NONE : EventFilter.parse(text);
    }

    /** The export of the events {@code filter} keeps (all of them for {@link EventFilter#NONE}). */
    private static long write(final EventQueries queries, final String site, final long fromMillis, final long toMillis,
        final EventExport.Format format, final EventFilter filter, final Path file) throws SQLException
    {
        return write(queries, site, fromMillis, toMillis, format, filter, file, new Cancellation());
    }

    /** The export of the events {@code filter} keeps, which {@code cancellation} can stop. */
    private static long write(final EventQueries queries, final String site, final long fromMillis, final long toMillis,
        final EventExport.Format format, final EventFilter filter, final Path file, final Cancellation cancellation)
        throws SQLException
    {
        return EventExport.write(queries, site, fromMillis, toMillis, format, filter.isEmpty() ? "" : filter.sql(),
            filter.parameters(), file, cancellation);
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            if (file != null)
            {
                Files.deleteIfExists(file);
            }
        }
        catch (final IOException ex)
        {
            // a scratch file in the temporary directory: the system tidies it
        }
    }

    private static String required(final Settings settings, final Option option)
    {
        final String value = settings.value(option);
        if (value == null || value.isEmpty())
        {
            throw new UsageException(option.flag() + " is required");
        }
        return value;
    }

    private static LocalDate day(final String text, final Option option)
    {
        try
        {
            return LocalDate.parse(text);
        }
        catch (final DateTimeParseException ex)
        {
            throw new UsageException(option.flag() + " must be a day, YYYY-MM-DD: '" + text + "'");
        }
    }
}
