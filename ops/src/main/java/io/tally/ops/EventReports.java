package io.tally.ops;

import io.tally.engine.api.stats.FilteredReports;
import io.tally.explore.EventQueries;
import io.tally.explore.filter.Clause;
import io.tally.explore.filter.Dimension;
import io.tally.explore.filter.EventFilter;
import io.tally.explore.report.ConversionTimes;
import io.tally.explore.report.EventStats;
import io.tally.explore.report.FirstTouches;
import io.tally.explore.report.Grouping;
import io.tally.explore.report.RecentEvents;
import io.tally.explore.report.SessionList;
import io.tally.explore.report.StatsRow;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final ConversionTimes conversionTimes;
    private final FirstTouches firstTouches;
    private final SessionList sessions;
    private final RecentEvents recent;

    /** A query of the store that may fail. */
    @FunctionalInterface
    private interface Read<T>
    {
        T read() throws SQLException;
    }

    EventReports(final Path dataDir) throws SQLException
    {
        this.queries = new EventQueries(dataDir, QUERY_THREADS);
        this.stats = new EventStats(queries);
        this.conversionTimes = new ConversionTimes(queries);
        this.firstTouches = new FirstTouches(queries);
        this.sessions = new SessionList(queries);
        this.recent = new RecentEvents(queries);
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
        final EventFilter filter = filter(query);
        final Grouping grouping = query.groupBy().isEmpty() ? Grouping.TOTAL : query.groupBy().startsWith("time:")
            ? Grouping.time(query.groupBy().substring("time:".length()), query.zone()) : Grouping.of(query.groupBy());
        return read(() -> stats.rows(query.site(), query.fromMillis(), query.toMillis(), filter, grouping,
            EventStats.Order.valueOf(query.order().name()), query.limit(), query.offset()).stream()
            .map(EventReports::figures).toList());
    }

    @Override
    public Map<String, ConversionTime> timeToConversion(final Query query)
    {
        final EventFilter filter = filter(query);
        final Map<String, ConversionTime> times = new LinkedHashMap<>();
        read(() -> conversionTimes.byGoal(query.site(), query.fromMillis(), query.toMillis(), filter))
            .forEach((goal, time) -> times.put(goal, new ConversionTime(time.p50Millis(), time.p90Millis())));
        return times;
    }

    @Override
    public Map<String, Long> firstTouch(final Query query)
    {
        final EventFilter filter = filter(query);
        return read(() -> firstTouches.conversions(query.site(), query.fromMillis(), query.toMillis(), filter, query.groupBy(),
            query.limit()));
    }

    @Override
    public List<Session> sessions(final Query query, final boolean convertedOnly)
    {
        final EventFilter filter = filter(query);
        return read(() -> sessions.recent(query.site(), query.fromMillis(), query.toMillis(), filter, convertedOnly,
            query.limit())).stream().map(session -> new Session(session.sessionId(), session.visitorId(), session.converted(),
            session.eventCount(), session.events().stream().map(event -> new SessionEvent(event.timeMillis(), event.type(),
            event.name(), event.url(), event.goal(), event.conversion(), event.kept())).toList())).toList();
    }

    @Override
    public Recent recent(final String site, final long sinceMillis, final long nowMillis, final int minutes, final String filters)
    {
        final EventFilter filter = EventFilter.parse(filters);
        // read before the query: the files it reads hold at least this much
        final long sealed = queries.sealedIndex();
        final RecentEvents.Figures figures = read(() -> recent.since(site, sinceMillis, nowMillis, minutes, filter));
        return new Recent(figures.events(), figures.pageviews(), figures.visitors(), figures.perMinute(), sealed);
    }

    private static EventFilter filter(final Query query)
    {
        final EventFilter parsed = query.filters() == null ? EventFilter.NONE : EventFilter.parse(query.filters());
        return query.dropGoal() ? parsed.without(Dimension.EVENT_GOAL) : parsed;
    }

    private static <T> T read(final Read<T> read)
    {
        try
        {
            return read.read();
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
