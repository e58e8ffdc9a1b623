package io.tally.ops;

import io.tally.engine.api.FilteredReports;
import io.tally.explore.EventQueries;
import io.tally.explore.filter.Clause;
import io.tally.explore.filter.Dimension;
import io.tally.explore.filter.EventFilter;
import io.tally.explore.report.EventStats;
import io.tally.explore.report.Grouping;
import io.tally.explore.report.StatsRow;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * The engine's reports under filters, answered by the event store: reads the filter ({@link EventFilter}), the
 * grouping, and runs {@link EventStats} on its own DuckDB reader of the store's files. Made beside the engine by
 * {@code tally serve --event-store true}; closed after the server.
 */
final class EventReports implements FilteredReports, AutoCloseable
{
    /** DuckDB threads one query may use: the API's cold pool runs a few at once on a machine that also ingests. */
    private static final int QUERY_THREADS = 2;

    private final EventQueries queries;
    private final EventStats stats;

    EventReports(final Path dataDir) throws SQLException
    {
        this.queries = new EventQueries(dataDir, QUERY_THREADS);
        this.stats = new EventStats(queries);
    }

    @Override
    public Described describe(final String filters)
    {
        return new Described(EventFilter.parse(filters).clauses().stream().map(Clause::name)
            .toList());
    }

    @Override
    public List<Figures> rows(final Query query)
    {
        final EventFilter parsed = query.filters() == null ? EventFilter.NONE : EventFilter.parse(query.filters());
        final EventFilter filter = query.dropGoal() ? parsed.without(Dimension.EVENT_GOAL) : parsed;
        final Grouping grouping = query.groupBy().isEmpty() ? Grouping.TOTAL : query.groupBy().startsWith("time:")
            ? Grouping.time(query.groupBy().substring("time:".length()), query.zone()) : Grouping.of(query.groupBy());
        try
        {
            return stats.rows(query.site(), query.fromMillis(), query.toMillis(), filter, grouping,
                EventStats.Order.valueOf(query.order().name()), query.limit(), query.offset()).stream()
                .map(EventReports::figures).toList();
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("the event store could not answer: " + ex.getMessage(), ex);
        }
    }

    private static Figures figures(final StatsRow row)
    {
        return new Figures(row.key(), row.visitors(), row.sessions(), row.pageviews(), row.events(), row.visits(), row.bounces(),
            row.durationMillis(), row.visitPageviews(), row.matches(), row.conversions(), row.convertingVisitors(), row.weight(),
            row.engagedMillis(), row.engagedVisitors(), row.scrollSum(), row.scrollCount(), row.revenue(), row.goalValue());
    }

    @Override
    public void close()
    {
        try
        {
            queries.close();
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("closing the event store's reader: " + ex.getMessage(), ex);
        }
    }
}
