package io.tally.explore.report;

import io.tally.explore.EventQueries;
import io.tally.explore.filter.EventFilter;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * First-touch attribution under a filter, defined as the rollups define it: each conversion the filter keeps counts
 * under its visitor's first source, the source of the visitor's first event of the UTC day (the first in journal
 * order, robots aside: it opens the visitor's first session, whose source the rollups read from it). Visitor ids are
 * salted per UTC day, so that event is the visitor's first at all; it may lie before the range, and is read from the
 * {@code day_events} view ({@link EventQueries#queryWithDay}). Blocking: a cold pool only.
 */
public final class FirstTouches
{
    private final EventQueries queries;

    public FirstTouches(final EventQueries queries)
    {
        this.queries = queries;
    }

    /**
     * The kept conversions in {@code [fromMillis, toMillis)} by the first source of their visitors in the visit
     * grouping {@code source} ({@code visit:referrer_domain}, {@code visit:utm_source}, ...), most first, then by
     * source; at most {@code limit} rows.
     */
    public Map<String, Long> conversions(final String site, final long fromMillis, final long toMillis,
        final EventFilter filter, final String source, final int limit) throws SQLException
    {
        final Grouping grouping = Grouping.of(source);
        if (!grouping.visit() || grouping.parameter() != null)
        {
            throw new IllegalArgumentException("not a visit's source: " + source);
        }
        final String sql = "WITH c AS MATERIALIZED (SELECT visitor_id, CAST(time AS DATE) AS d FROM events "
            + "WHERE robot IS NULL AND conversion AND (" + filter.sql() + ")),\n"
            + "v AS (SELECT visitor_id, CAST(time AS DATE) AS d, arg_min(coalesce(" + grouping.expression()
            + ", '(none)'), journal_index) AS source FROM day_events "
            + "WHERE robot IS NULL AND visitor_id IN (SELECT visitor_id FROM c) GROUP BY ALL)\n"
            + "SELECT source, count(*) AS n FROM c JOIN v USING (visitor_id, d) GROUP BY source ORDER BY n DESC, source "
            + "LIMIT ?";
        final List<Object> parameters = new ArrayList<>(filter.parameters());
        parameters.add(Math.min(limit, EventStats.MAX_ROWS));
        return queries.queryWithDay(site, fromMillis, toMillis, sql, rows ->
        {
            final Map<String, Long> counts = new LinkedHashMap<>();
            while (rows.next())
            {
                counts.put(rows.getString(1), rows.getLong(2));
            }
            return counts;
        }, parameters.toArray());
    }
}
