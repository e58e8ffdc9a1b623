package io.tally.explore;

import org.duckdb.DuckDBConnection;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Reads the event store: a query over one site's events of a time range runs in an in-memory DuckDB against a view
 * named {@code events} over exactly the files of that range (sealed, not merged away). Blocking: run it on a cold
 * pool (the API's), never on an event loop. Safe for several threads: each query has a connection of its own on the
 * one database.
 * <p>
 * The view holds each event once: a backfilled conversion's row (its {@code backfill_of} set) is laid over its event,
 * whose goal columns it replaces, and {@code backfilled} tells which events got theirs that way.
 * <p>
 * A merge may delete a file between the listing and the read: the query is then run again on a fresh listing.
 */
public final class EventQueries implements AutoCloseable
{
    /** Reads a query's result; runs while the result set is open. */
    @FunctionalInterface
    public interface Rows<T>
    {
        T read(ResultSet rows) throws SQLException;
    }

    private static final int ATTEMPTS = 3;
    /** The goal columns a backfilled conversion sets on its event. */
    private static final List<String> GOAL_COLUMNS = List.of("goal", "goal_weight", "goal_first", "conversion",
        "session_converted", "goal_value", "goal_value_currency");
    /** The events as stored, when the range holds no backfilled conversion. */
    private static final String PLAIN = "SELECT * EXCLUDE (backfill_of), false AS backfilled FROM stored";
    /**
     * The events, each once, with the goal columns of its backfilled conversion when it has one (the first, should
     * there be more): a backfilled conversion's row is never an event of its own.
     */
    private static final String OVERLAID = "SELECT e.* EXCLUDE (backfill_of) REPLACE (" + String.join(", ",
        GOAL_COLUMNS.stream().map(column -> "CASE WHEN b.backfill_of IS NULL THEN e." + column + " ELSE b." + column +
            " END AS " + column).toList()) + "), b.backfill_of IS NOT NULL AS backfilled FROM stored e LEFT JOIN " +
        "(SELECT * FROM stored WHERE backfill_of IS NOT NULL " +
        "QUALIFY row_number() OVER (PARTITION BY backfill_of ORDER BY journal_index) = 1) b " +
        "ON b.backfill_of = e.journal_index WHERE e.backfill_of IS NULL";
    private static final String EMPTY = "empty_events";
    private static final long DAY_MILLIS = 86_400_000L;

    private final EventFiles files;
    private final DuckDBConnection database;

    /** Opens the reader of the event store under {@code dataDir}; {@code threads} DuckDB may use per query (0: all cores). */
    public EventQueries(final Path dataDir, final int threads) throws SQLException
    {
        this.files = new EventFiles(dataDir);
        this.database = DuckDb.open(threads);
        try (Statement statement = database.createStatement())
        {
            statement.execute(EventSchema.createTable(EMPTY, ""));
        }
    }

    /**
     * Runs {@code sql} (which reads the view {@code events}) over {@code site}'s events with a time from
     * {@code fromMillis} (inclusive) to {@code toMillis} (exclusive), with {@code parameters} bound in order.
     */
    public <T> T query(final String site, final long fromMillis, final long toMillis, final String sql, final Rows<T> rows,
        final Object... parameters) throws SQLException
    {
        return run(() -> files.live(site, fromMillis, toMillis, SealPosition.read(files.position())),
            " WHERE time >= " + timestamp(fromMillis) + " AND time < " + timestamp(toMillis), sql, rows, parameters);
    }

    /**
     * {@link #query} with a second view, {@code day_events}: the same site's events from the start of the UTC day
     * that holds {@code fromMillis} to {@code toMillis}, while {@code events} holds the range as ever. Visitor and
     * session ids are salted per UTC day, so a visitor's events of that day are all in {@code day_events}: what came
     * before the range (its first event, its first source) is there to read, and filters still read {@code events}.
     */
    public <T> T queryWithDay(final String site, final long fromMillis, final long toMillis, final String sql,
        final Rows<T> rows, final Object... parameters) throws SQLException
    {
        final long dayStart = Math.floorDiv(fromMillis, DAY_MILLIS) * DAY_MILLIS;
        return run(() -> files.live(site, dayStart, toMillis, SealPosition.read(files.position())),
            " WHERE time >= " + timestamp(dayStart) + " AND time < " + timestamp(toMillis), " WHERE time >= " +
            timestamp(fromMillis), sql, reading(rows), parameters);
    }

    /**
     * Runs {@code sql} (a statement that returns no rows, such as a {@code COPY ... TO}) over {@code site}'s events of
     * the range, as {@link #query} does.
     *
     * @return the statement's update count (a COPY's: the rows written).
     */
    public long execute(final String site, final long fromMillis, final long toMillis, final String sql,
        final Object... parameters) throws SQLException
    {
        return execute(site, fromMillis, toMillis, new Cancellation(), sql, parameters);
    }

    /** {@link #execute(String, long, long, String, Object...)} that {@code cancellation} can stop (it then throws). */
    public long execute(final String site, final long fromMillis, final long toMillis, final Cancellation cancellation,
        final String sql, final Object... parameters) throws SQLException
    {
        return run(() -> files.live(site, fromMillis, toMillis, SealPosition.read(files.position())),
            " WHERE time >= " + timestamp(fromMillis) + " AND time < " + timestamp(toMillis), sql, (Run<Long>)statement ->
            {
                cancellation.attach(statement);
                try
                {
                    statement.execute();
                    return (long)statement.getUpdateCount();
                }
                finally
                {
                    cancellation.detach();
                }
            }, parameters);
    }

    /** Runs a prepared statement, its parameters bound. */
    @FunctionalInterface
    private interface Run<T>
    {
        T run(PreparedStatement statement) throws SQLException;
    }

    private <T> T run(final java.util.function.Supplier<List<EventFiles.Part>> listing, final String where, final String sql,
        final Rows<T> rows, final Object... parameters) throws SQLException
    {
        return run(listing, where, sql, reading(rows), parameters);
    }

    /** Runs a query and reads its result with {@code rows}. */
    private static <T> Run<T> reading(final Rows<T> rows)
    {
        return statement ->
        {
            try (ResultSet result = statement.executeQuery())
            {
                return rows.read(result);
            }
        };
    }

    private <T> T run(final java.util.function.Supplier<List<EventFiles.Part>> listing, final String where, final String sql,
        final Run<T> run, final Object... parameters) throws SQLException
    {
        return run(listing, where, null, sql, run, parameters);
    }

    /** {@code rangeWhere}: null for one view, {@code events}; else {@code events} is {@code day_events} cut by it. */
    private <T> T run(final java.util.function.Supplier<List<EventFiles.Part>> listing, final String where,
        final String rangeWhere, final String sql, final Run<T> run, final Object... parameters) throws SQLException
    {
        for (int attempt = 1; ; attempt++)
        {
            final List<EventFiles.Part> parts = listing.get();
            try (DuckDBConnection connection = (DuckDBConnection)database.duplicate())
            {
                try (Statement statement = connection.createStatement())
                {
                    statement.execute("CREATE TEMP VIEW stored AS SELECT * FROM " + source(parts) + where);
                    final String events = hasBackfills(statement) ? OVERLAID : PLAIN;
                    if (rangeWhere == null)
                    {
                        statement.execute("CREATE TEMP VIEW events AS " + events);
                    }
                    else
                    {
                        statement.execute("CREATE TEMP VIEW day_events AS " + events);
                        statement.execute("CREATE TEMP VIEW events AS SELECT * FROM day_events" + rangeWhere);
                    }
                }
                try (PreparedStatement statement = connection.prepareStatement(sql))
                {
                    for (int i = 0; i < parameters.length; i++)
                    {
                        statement.setObject(i + 1, parameters[i]);
                    }
                    return run.run(statement);
                }
            }
            catch (final SQLException ex)
            {
                if (attempt == ATTEMPTS || !fileVanished(parts))
                {
                    throw ex;
                }
            }
        }
    }

    /** Runs {@code sql} over the view {@code events} of every site's events, all that is sealed (exports, checks). */
    public <T> T queryAll(final String sql, final Rows<T> rows, final Object... parameters) throws SQLException
    {
        return run(() -> files.liveAll(SealPosition.read(files.position())), "", sql, rows, parameters);
    }

    /** The bytes of the files a query over {@code site}'s range reads (an export's size is a multiple of it). */
    public long storedBytes(final String site, final long fromMillis, final long toMillis)
    {
        long bytes = 0;
        for (final EventFiles.Part part : files.live(site, fromMillis, toMillis, SealPosition.read(files.position())))
        {
            try
            {
                bytes += java.nio.file.Files.size(part.path());
            }
            catch (final java.io.IOException ex)
            {
                // deleted since the listing (its day past the retention, or a merge's part past its grace): not counted
            }
        }
        return bytes;
    }

    /** The last journal index the files hold (every record up to it is in them); -1 before anything is sealed. */
    public long sealedIndex()
    {
        return SealPosition.read(files.position());
    }

    /** The number of {@code site}'s events in the range. */
    public long count(final String site, final long fromMillis, final long toMillis) throws SQLException
    {
        return query(site, fromMillis, toMillis, "SELECT count(*) FROM events", result ->
        {
            result.next();
            return result.getLong(1);
        });
    }

    /** Whether the range's files hold a backfilled conversion (Parquet's column statistics make this cheap). */
    private static boolean hasBackfills(final Statement statement) throws SQLException
    {
        try (ResultSet result = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM stored WHERE backfill_of IS NOT NULL)"))
        {
            return result.next() && result.getBoolean(1);
        }
    }

    private static String source(final List<EventFiles.Part> parts)
    {
        if (parts.isEmpty())
        {
            return EMPTY;
        }
        final StringBuilder list = new StringBuilder("read_parquet([");
        for (int i = 0; i < parts.size(); i++)
        {
            list.append(i == 0 ? "" : ", ").append(DuckDb.literal(parts.get(i).path().toString()));
        }
        return list.append("])").toString();
    }

    private static String timestamp(final long millis)
    {
        return "make_timestamp(" + millis * 1000 + ")";
    }

    private static boolean fileVanished(final List<EventFiles.Part> parts)
    {
        return parts.stream().anyMatch(part -> !java.nio.file.Files.exists(part.path()));
    }

    @Override
    public void close() throws SQLException
    {
        database.close();
    }
}
