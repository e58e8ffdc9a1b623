package io.tally.explore;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Writes one site's events of a time range to a file, with DuckDB's {@code COPY}: Parquet (every column with its
 * type, properties as a map), CSV (a header line; properties as a JSON object) or NDJSON (one JSON object a line;
 * amounts as strings of their exact decimal, since JSON readers take numbers as doubles).
 * Rows come in time order (journal order within a millisecond). DuckDB writes the file as it reads the store's files
 * and spills a large sort to disk: the export is never held in memory. Blocking: run it on a cold thread.
 */
public final class EventExport
{
    /** A file format of the export. */
    public enum Format
    {
        PARQUET("parquet", "application/vnd.apache.parquet", "(FORMAT parquet, COMPRESSION zstd)", "*"),
        CSV("csv", "text/csv; charset=utf-8", "(FORMAT csv, HEADER true)", "* REPLACE (to_json(props)::VARCHAR AS props)"),
        NDJSON("ndjson", "application/x-ndjson", "(FORMAT json)",
            "* REPLACE (revenue::VARCHAR AS revenue, goal_value::VARCHAR AS goal_value, engaged_seconds::VARCHAR AS engaged_seconds)");

        private final String suffix;
        private final String contentType;
        private final String options;
        private final String columns;

        Format(final String suffix, final String contentType, final String options, final String columns)
        {
            this.suffix = suffix;
            this.contentType = contentType;
            this.options = options;
            this.columns = columns;
        }

        /** The file name's ending, without the dot. */
        public String suffix()
        {
            return suffix;
        }

        public String contentType()
        {
            return contentType;
        }

        /** The format named {@code name} (any case); null for none. */
        public static Format of(final String name)
        {
            for (final Format format : values())
            {
                if (format.suffix.equals(name.toLowerCase(Locale.ROOT)))
                {
                    return format;
                }
            }
            return null;
        }
    }

    private EventExport()
    {
    }

    /**
     * Writes {@code site}'s events with a time from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive) that
     * meet {@code where} (a SQL condition over the columns with {@code ?} placeholders, {@code parameters} bound in
     * order; empty for every event) to {@code out} in {@code format}.
     *
     * @return the rows written.
     */
    public static long write(final EventQueries queries, final String site, final long fromMillis, final long toMillis,
        final Format format, final String where, final List<Object> parameters, final Path out) throws SQLException
    {
        return write(queries, site, fromMillis, toMillis, format, where, parameters, out, new Cancellation());
    }

    /** {@link #write(EventQueries, String, long, long, Format, String, List, Path)} that {@code cancellation} can stop. */
    public static long write(final EventQueries queries, final String site, final long fromMillis, final long toMillis,
        final Format format, final String where, final List<Object> parameters, final Path out,
        final Cancellation cancellation) throws SQLException
    {
        final String sql = "COPY (SELECT " + format.columns + " FROM events" + (where.isEmpty() ? "" : " WHERE " + where) +
            " ORDER BY time, journal_index) TO " + DuckDb.literal(out.toString()) + " " + format.options;
        return queries.execute(site, fromMillis, toMillis, cancellation, sql, parameters.toArray());
    }
}
