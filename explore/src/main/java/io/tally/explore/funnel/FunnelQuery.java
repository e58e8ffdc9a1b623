package io.tally.explore.funnel;

import io.tally.explore.EventQueries;
import io.tally.explore.report.Grouping;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A funnel over the event store. DuckDB selects the events that match any step (robots' left out), with a bit per
 * step they match, sorted by visitor; {@link FunnelCounter} walks each visitor's events in Java (exact, one pass,
 * memory by the largest visitor). Visitors are the store's visitor ids, which change every UTC day: a visitor's path
 * never crosses UTC midnight, whatever the window.
 */
public final class FunnelQuery
{
    /** Rows of a breakdown in an answer, most visitors at the first step first. */
    public static final int MAX_BREAKDOWN_ROWS = 100;
    /** Breakdown values counted apart; visitors of more count under {@code (other)}. */
    public static final int MAX_GROUPS = 10_000;
    /** Events of one visitor considered; more are left out and counted in {@code skipped_events}. */
    public static final int MAX_EVENTS_PER_VISITOR = 1_000_000;

    /** A step: a goal's name, an event name or a page path, with optional filters; {@code name} labels it. */
    public record Step(String name, String type, String value, String filters)
    {
    }

    private final EventQueries queries;
    private final int maxEventsPerVisitor;
    private final int maxGroups;
    private final int maxRows;

    public FunnelQuery(final EventQueries queries)
    {
        this(queries, MAX_EVENTS_PER_VISITOR, MAX_GROUPS, MAX_BREAKDOWN_ROWS);
    }

    /** With other limits than the defaults (tests of them). */
    FunnelQuery(final EventQueries queries, final int maxEventsPerVisitor, final int maxGroups, final int maxRows)
    {
        this.queries = queries;
        this.maxEventsPerVisitor = maxEventsPerVisitor;
        this.maxGroups = maxGroups;
        this.maxRows = maxRows;
    }

    /** Checks a step's filters; throws {@link IllegalArgumentException} saying what is wrong. */
    public static void checkFilters(final String filters)
    {
        StepCondition.of(new Step("check", "event", "check", filters));
    }

    /**
     * The funnel's figures over {@code site}'s events in {@code [fromMillis, toMillis)}: {@code steps}, and
     * {@code breakdown} when {@code dimension} is not null.
     *
     * @param windowMillis the window from the first step; 0 for the first step's session.
     * @throws IllegalArgumentException for a step's filters or a breakdown that cannot be used.
     */
    public Map<String, Object> run(final String site, final List<Step> steps, final long windowMillis, final long fromMillis,
        final long toMillis, final String dimension) throws SQLException
    {
        final Grouping breakdown = dimension == null ? null : Grouping.of(dimension);
        if (breakdown != null && breakdown.time())
        {
            throw new IllegalArgumentException("breakdown: a dimension, not a time bucket");
        }
        final List<Object> parameters = new ArrayList<>();
        final String sql = sql(steps, windowMillis == 0, breakdown, parameters);
        final FunnelCounter counter = new FunnelCounter(steps.size(), windowMillis, maxEventsPerVisitor,
            breakdown == null ? 0 : maxGroups);
        queries.query(site, fromMillis, toMillis, sql, rows -> read(rows, counter), parameters.toArray());
        counter.finish();
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("steps", stepRows(steps, counter.all()));
        if (breakdown != null)
        {
            answer.put("breakdown", breakdownRows(steps, breakdown, counter, maxRows));
        }
        answer.put("skipped_events", counter.skippedEvents());
        return answer;
    }

    /**
     * The query: each event matching a step, its steps as bits, sorted by visitor (and session in session windows),
     * with its breakdown value: the event's own, or its session's for a visit dimension (read from the session's first
     * event, as the filtered reports read it).
     */
    static String sql(final List<Step> steps, final boolean session, final Grouping breakdown, final List<Object> parameters)
    {
        final StringBuilder mask = new StringBuilder();
        final List<Object> conditionParameters = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++)
        {
            final StepCondition condition = StepCondition.of(steps.get(i));
            mask.append(i == 0 ? "" : " + ").append("(CASE WHEN ").append(condition.sql()).append(" THEN ")
                .append(1 << i).append(" ELSE 0 END)");
            conditionParameters.addAll(condition.parameters());
        }
        final boolean visit = breakdown != null && breakdown.visit();
        if (breakdown != null && breakdown.parameter() != null)
        {
            parameters.add(breakdown.parameter());
        }
        parameters.addAll(conditionParameters);
        final String value = breakdown == null ? "NULL" : visit ? "visits.value" : "CAST(" + breakdown.expression() + " AS VARCHAR)";
        return (visit ? "WITH visits AS (SELECT session_id, CAST(" + breakdown.sessionExpression() + " AS VARCHAR) AS value " +
            "FROM events WHERE type <> 'engagement' GROUP BY session_id) " : "") +
            "SELECT visitor_id, matched.session_id, epoch_ms(time), journal_index, mask, revenue, revenue_currency, " + value +
            " FROM (SELECT *, " + mask + " AS mask FROM events WHERE robot IS NULL) AS matched" +
            (visit ? " LEFT JOIN visits ON matched.session_id = visits.session_id" : "") + " WHERE mask <> 0" +
            " ORDER BY visitor_id, " + (session ? "matched.session_id, " : "") + "time, journal_index";
    }

    private static Void read(final ResultSet rows, final FunnelCounter counter) throws SQLException
    {
        while (rows.next())
        {
            counter.add(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getInt(5),
                rows.getBigDecimal(6), rows.getString(7), rows.getString(8));
        }
        return null;
    }

    static List<Object> stepRows(final List<Step> steps, final StepFigures figures)
    {
        final List<Object> rows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++)
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            final long visitors = figures.visitors(i);
            final long previous = i == 0 ? visitors : figures.visitors(i - 1);
            row.put("name", steps.get(i).name());
            row.put("type", steps.get(i).type());
            row.put("value", steps.get(i).value());
            row.put("visitors", visitors);
            row.put("dropoff", previous - visitors);
            row.put("conversion_rate", percent(visitors, figures.visitors(0)));
            row.put("conversion_rate_from_previous", percent(visitors, previous));
            row.put("median_seconds_from_previous", figures.medianSecondsFromPrevious(i));
            row.put("revenue", money(figures.revenue(i)));
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, Object> breakdownRows(final List<Step> steps, final Grouping breakdown,
        final FunnelCounter counter, final int maxRows)
    {
        final List<Map.Entry<String, StepFigures>> groups = new ArrayList<>(counter.groups().entrySet());
        groups.sort(Comparator.<Map.Entry<String, StepFigures>>comparingLong(group -> -group.getValue().visitors(0))
            .thenComparing(Map.Entry::getKey));
        final List<Object> rows = new ArrayList<>();
        for (final Map.Entry<String, StepFigures> group : groups.subList(0, Math.min(maxRows, groups.size())))
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("value", group.getKey());
            row.put("steps", stepRows(steps, group.getValue()));
            rows.add(row);
        }
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dimension", breakdown.name());
        answer.put("rows", rows);
        answer.put("total_rows", groups.size());
        answer.put("values_merged_into_other", counter.groupsFull());
        return answer;
    }

    /** {@code part} in percent of {@code whole}, 2 decimals (half up); 0 when {@code whole} is 0. */
    static BigDecimal percent(final long part, final long whole)
    {
        return whole == 0 ? BigDecimal.ZERO.setScale(2) :
            BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP);
    }

    private static List<Object> money(final Map<String, BigDecimal> amounts)
    {
        final List<Object> list = new ArrayList<>();
        amounts.forEach((currency, amount) ->
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("currency", currency);
            entry.put("amount", amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString());
            list.add(entry);
        });
        return list;
    }
}
