package io.tally.explore.report;

import io.tally.explore.EventQueries;
import io.tally.explore.filter.EventFilter;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The realtime report under a filter: the kept events received since a moment and timed since it (a trusted event
 * sent with an older time is left out, as the journal's realtime report leaves it out), robots aside: how many, their
 * pageviews, their distinct visitors and how many each minute since then. Blocking: a cold pool only.
 */
public final class RecentEvents
{
    /** The figures: {@code perMinute[m]} counts the kept events of minute {@code m} since the start (the last: later ones too). */
    public record Figures(long events, long pageviews, long visitors, long[] perMinute)
    {
    }

    /** How far past now an event's own time may lie (a trusted event's {@code ts} may be up to 5 minutes ahead). */
    private static final long AHEAD_MILLIS = 3_600_000L;

    private final EventQueries queries;

    public RecentEvents(final EventQueries queries)
    {
        this.queries = queries;
    }

    /** The kept events of {@code site} received and timed from {@code sinceMillis} on, in {@code minutes} minutes. */
    public Figures since(final String site, final long sinceMillis, final long nowMillis, final int minutes,
        final EventFilter filter) throws SQLException
    {
        // the numbers in the text are longs made here, never user text; the filter's values are bound
        final String sql = "WITH f AS (SELECT least(" + (minutes - 1) + ", (epoch_ms(time) - " + sinceMillis + ") // 60000) AS bucket, "
            + "type, visitor_id FROM events WHERE robot IS NULL AND received >= make_timestamp(" + sinceMillis * 1000 + ") AND ("
            + filter.sql() + "))\n"
            + "SELECT bucket, count(*), count(*) FILTER (WHERE type = 'pageview'), count(DISTINCT visitor_id) FROM f "
            + "GROUP BY GROUPING SETS ((bucket), ())";
        final List<Object> parameters = new ArrayList<>(filter.parameters());
        return queries.query(site, sinceMillis, nowMillis + AHEAD_MILLIS, sql, rows ->
        {
            final long[] perMinute = new long[minutes];
            long events = 0;
            long pageviews = 0;
            long visitors = 0;
            while (rows.next())
            {
                final long minute = rows.getLong(1);
                if (rows.wasNull())
                {
                    events = rows.getLong(2);
                    pageviews = rows.getLong(3);
                    visitors = rows.getLong(4);
                }
                else
                {
                    perMinute[(int)minute] += rows.getLong(2);
                }
            }
            return new Figures(events, pageviews, visitors, perMinute);
        }, parameters.toArray());
    }
}
