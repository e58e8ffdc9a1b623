package io.tally.explore.report;

import io.tally.explore.EventQueries;
import io.tally.explore.filter.EventFilter;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Filtered reports over the event store: the figures of the events a filter keeps in a time range, grouped, in one
 * DuckDB statement. Robots' events are never counted (the rollups leave them out too). Blocking: run it on a cold
 * pool, never on an event loop.
 * <pre>
 * f  the kept events (materialised once)           k  each kept event with its group key
 * s  every session with a kept event: its events    e  per key: visitors, pageviews, events, goals, engagement
 *    (all of them, engagement aside), first time,   v  per key: visits of those sessions, bounces, duration
 *    duration, pageviews                            m  per key: revenue and goal value by currency
 * </pre>
 */
public final class EventStats
{
    /** The columns of a kept event the figures read. */
    private static final String KEPT_COLUMNS = "time, visitor_id, session_id, type, goal, goal_weight, conversion, "
        + "engaged_seconds, scroll_depth, revenue, revenue_currency, goal_value, goal_value_currency";

    /** Most groups one query gives. */
    public static final int MAX_ROWS = 10_000;

    /** The figure rows are ordered by (most first), then by key. */
    public enum Order
    {
        VISITORS("visitors"), VISITS("visits"), PAGEVIEWS("pageviews"), EVENTS("events"), CONVERSIONS("conversions"),
        KEY("k");

        private final String column;

        Order(final String column)
        {
            this.column = column;
        }
    }

    private final EventQueries queries;

    public EventStats(final EventQueries queries)
    {
        this.queries = queries;
    }

    /**
     * The rows of {@code site}'s events in {@code [fromMillis, toMillis)} that {@code filter} keeps, grouped by
     * {@code grouping}, ordered by {@code order} (most first; time buckets and {@link Order#KEY} oldest first), rows
     * {@code offset} to {@code offset + limit} (limit at most {@link #MAX_ROWS}).
     */
    public List<StatsRow> rows(final String site, final long fromMillis, final long toMillis, final EventFilter filter,
        final Grouping grouping, final Order order, final int limit, final long offset) throws SQLException
    {
        final List<Object> parameters = new ArrayList<>();
        final String sql = sql(filter, grouping, order, parameters);
        parameters.add(Math.min(limit, MAX_ROWS));
        parameters.add(offset);
        return queries.query(site, fromMillis, toMillis, sql, EventStats::read, parameters.toArray());
    }

    /** The one row of every kept event (the total). */
    public StatsRow total(final String site, final long fromMillis, final long toMillis, final EventFilter filter)
        throws SQLException
    {
        final List<StatsRow> rows = rows(site, fromMillis, toMillis, filter, Grouping.TOTAL, Order.KEY, 1, 0);
        return rows.isEmpty() ? empty("") : rows.get(0);
    }

    /** A row of zeros. */
    public static StatsRow empty(final String key)
    {
        return new StatsRow(key, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of());
    }

    static String sql(final EventFilter filter, final Grouping grouping, final Order order, final List<Object> parameters)
    {
        final StringBuilder sql = new StringBuilder(2048);
        // only the columns the figures read, and an event's key: the kept events are held once, small
        sql.append("WITH f AS MATERIALIZED (SELECT ").append(grouping.visit() ? "" : key(grouping, parameters) + " AS k, ")
            .append(KEPT_COLUMNS).append(" FROM events WHERE robot IS NULL AND (").append(filter.sql()).append(")),\n");
        parameters.addAll(filter.parameters());
        sql.append("s AS MATERIALIZED (SELECT session_id, count(*) AS n, min(time) AS first, ")
            .append("date_diff('millisecond', min(time), max(time)) AS ms, count(*) FILTER (WHERE type = 'pageview') AS pv")
            .append(grouping.visit() ? ", " + grouping.sessionExpression() + " AS sk" : "")
            .append(" FROM events WHERE robot IS NULL AND type <> 'engagement' AND session_id IN (SELECT session_id FROM f)")
            .append(" GROUP BY session_id),\n");
        sql.append(grouping.visit() ? "k AS (SELECT coalesce(s.sk, '(none)') AS k, f.* FROM f JOIN s USING (session_id)),\n"
            : "k AS (SELECT * FROM f),\n");
        sql.append("e AS (SELECT k, count(DISTINCT visitor_id) AS visitors, count(DISTINCT session_id) AS sessions, ")
            .append("count(*) FILTER (WHERE type = 'pageview') AS pageviews, count(*) FILTER (WHERE type NOT IN ('pageview', 'engagement')) AS events, ")
            .append("count(*) FILTER (WHERE goal IS NOT NULL) AS matches, count(*) FILTER (WHERE conversion) AS conversions, ")
            .append("count(DISTINCT visitor_id) FILTER (WHERE conversion) AS converting, ")
            .append("coalesce(sum(goal_weight) FILTER (WHERE conversion), 0) AS weight, ")
            .append("CAST(coalesce(sum(engaged_seconds * 1000) FILTER (WHERE type = 'engagement'), 0) AS BIGINT) AS engaged_ms, ")
            .append("count(DISTINCT visitor_id) FILTER (WHERE type = 'engagement' AND engaged_seconds IS NOT NULL) AS engaged_visitors, ")
            .append("coalesce(sum(scroll_depth) FILTER (WHERE type = 'engagement'), 0) AS scroll_sum, ")
            .append("count(scroll_depth) FILTER (WHERE type = 'engagement') AS scroll_count FROM k GROUP BY k),\n");
        sql.append("v AS (SELECT ").append(grouping.time() ? visitKey(grouping, parameters) : "k")
            .append(" AS k, count(*) AS visits, count(*) FILTER (WHERE s.n = 1) AS bounces, sum(s.ms) AS duration_ms, ")
            .append("sum(s.pv) AS visit_pageviews FROM (SELECT DISTINCT ").append(grouping.time() ? "" : "k, ")
            .append("session_id FROM k WHERE type <> 'engagement') q JOIN s USING (session_id) GROUP BY ALL),\n");
        sql.append("m AS (SELECT k, string_agg(kind || ' ' || currency || ' ' || CAST(amount AS VARCHAR), ',') AS money FROM (")
            .append("SELECT k, 'r' AS kind, revenue_currency AS currency, sum(revenue) AS amount FROM k WHERE revenue IS NOT NULL ")
            .append("GROUP BY k, revenue_currency UNION ALL ")
            .append("SELECT k, 'g', goal_value_currency, sum(goal_value) FROM k WHERE goal_value IS NOT NULL AND conversion ")
            .append("GROUP BY k, goal_value_currency) GROUP BY k)\n");
        sql.append("SELECT e.k, visitors, sessions, pageviews, events, coalesce(visits, 0) AS visits, coalesce(bounces, 0), ")
            .append("coalesce(duration_ms, 0), coalesce(visit_pageviews, 0), matches, conversions, converting, weight, engaged_ms, ")
            .append("engaged_visitors, scroll_sum, scroll_count, money FROM e LEFT JOIN v ON v.k IS NOT DISTINCT FROM e.k ")
            .append("LEFT JOIN m ON m.k IS NOT DISTINCT FROM e.k ");
        if (grouping.dropEmpty())
        {
            sql.append("WHERE e.k IS NOT NULL ");
        }
        sql.append("ORDER BY ").append(order == Order.KEY || grouping.time() ? "" : order.column + " DESC, ").append("e.k ")
            .append("LIMIT ? OFFSET ?");
        return sql.toString();
    }

    /** The group key of a kept event (not for a visit's key, read from its session); {@code (none)} when it has none. */
    private static String key(final Grouping grouping, final List<Object> parameters)
    {
        if (grouping.parameter() != null)
        {
            parameters.add(grouping.parameter());
        }
        return grouping.dropEmpty() ? grouping.expression() : "coalesce(" + grouping.expression() + ", '(none)')";
    }

    /** A time bucket's visits are those that started in it: the key of the session's first event. */
    private static String visitKey(final Grouping grouping, final List<Object> parameters)
    {
        parameters.add(grouping.parameter());
        return grouping.expression().replace("time AT TIME ZONE", "s.first AT TIME ZONE");
    }

    private static List<StatsRow> read(final ResultSet rows) throws SQLException
    {
        final List<StatsRow> list = new ArrayList<>();
        while (rows.next())
        {
            final Map<String, BigDecimal> revenue = new LinkedHashMap<>();
            final Map<String, BigDecimal> goalValue = new LinkedHashMap<>();
            money(rows.getString(18), revenue, goalValue);
            list.add(new StatsRow(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5),
                rows.getLong(6), rows.getLong(7), rows.getLong(8), rows.getLong(9), rows.getLong(10), rows.getLong(11),
                rows.getLong(12), rows.getLong(13), rows.getLong(14), rows.getLong(15), rows.getLong(16), rows.getLong(17),
                Collections.unmodifiableMap(revenue), Collections.unmodifiableMap(goalValue)));
        }
        return list;
    }

    /** Reads {@code r EUR 12.50,g USD 3} (kind, currency, exact amount) into the two maps, amounts without trailing zeros. */
    private static void money(final String text, final Map<String, BigDecimal> revenue, final Map<String, BigDecimal> goalValue)
    {
        if (text == null)
        {
            return;
        }
        for (final String entry : text.split(","))
        {
            final String[] parts = entry.split(" ");
            final BigDecimal amount = new BigDecimal(parts[2]).stripTrailingZeros();
            (parts[0].equals("r") ? revenue : goalValue).put(parts[1], amount.scale() < 0 ? amount.setScale(0) : amount);
        }
    }
}
