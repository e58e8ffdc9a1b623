package io.tally.explore.report;

import io.tally.explore.EventQueries;
import io.tally.explore.filter.EventFilter;
import org.HdrHistogram.Histogram;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time to conversion under a filter, defined as the rollups define it: for each conversion the filter keeps, the
 * time from its visitor's first event of the UTC day (the first in journal order, robots aside) to the conversion,
 * never below 0; per goal, the 50th and 90th percentiles of an HdrHistogram of 3 significant digits, as the rollups'
 * goal cells keep them. Visitor ids are salted per UTC day, so that first event is the visitor's first at all; it may
 * lie before the range (a range in a time zone east of UTC starts after its UTC day): it is read from the
 * {@code day_events} view ({@link EventQueries#queryWithDay}). Blocking: a cold pool only.
 */
public final class ConversionTimes
{
    /** The percentiles of one goal's times to conversion, in milliseconds. */
    public record Percentiles(long p50Millis, long p90Millis)
    {
    }

    /** Significant digits of the histogram: the rollups' goal cells'. */
    private static final int DIGITS = 3;

    private final EventQueries queries;

    public ConversionTimes(final EventQueries queries)
    {
        this.queries = queries;
    }

    /** Per goal with a kept conversion in {@code [fromMillis, toMillis)}: the percentiles of its times to conversion. */
    public Map<String, Percentiles> byGoal(final String site, final long fromMillis, final long toMillis,
        final EventFilter filter) throws SQLException
    {
        // c: the kept conversions; v: each of their visitors' first event time of the UTC day; one row per goal and time
        final String sql = "WITH c AS MATERIALIZED (SELECT goal, visitor_id, time, CAST(time AS DATE) AS d FROM events "
            + "WHERE robot IS NULL AND conversion AND goal IS NOT NULL AND (" + filter.sql() + ")),\n"
            + "v AS (SELECT visitor_id, CAST(time AS DATE) AS d, arg_min(time, journal_index) AS first FROM day_events "
            + "WHERE robot IS NULL AND visitor_id IN (SELECT visitor_id FROM c) GROUP BY ALL)\n"
            + "SELECT goal, greatest(0, date_diff('millisecond', v.first, c.time)) AS ms, count(*) FROM c "
            + "JOIN v USING (visitor_id, d) GROUP BY ALL";
        final List<Object> parameters = new ArrayList<>(filter.parameters());
        return queries.queryWithDay(site, fromMillis, toMillis, sql, rows ->
        {
            final Map<String, Histogram> histograms = new LinkedHashMap<>();
            while (rows.next())
            {
                histograms.computeIfAbsent(rows.getString(1), goal -> histogram()).recordValueWithCount(rows.getLong(2),
                    rows.getLong(3));
            }
            final Map<String, Percentiles> percentiles = new LinkedHashMap<>();
            histograms.forEach((goal, histogram) -> percentiles.put(goal, new Percentiles(histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(90))));
            return percentiles;
        }, parameters.toArray());
    }

    private static Histogram histogram()
    {
        final Histogram histogram = new Histogram(DIGITS);
        histogram.setAutoResize(true);
        return histogram;
    }
}
