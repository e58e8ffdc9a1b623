package io.tally.engine.api.stats;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports under a {@code filters} parameter (Plausible's v1 filter syntax), answered from the event store rather
 * than the rollups. The engine does not know the store: {@code tally serve} hands an implementation in
 * ({@code Engine.useFilteredReports}) when it runs with {@code --event-store true}; without one, a filtered request
 * is refused with a 409 ({@code event_store_off}). Blocking: called on the API's cold threads only.
 */
public interface FilteredReports
{
    /** The rows are ordered by (most first, then by key); {@link #KEY} and time buckets: by key. */
    enum Order
    {
        VISITORS, VISITS, PAGEVIEWS, EVENTS, CONVERSIONS, KEY
    }

    /**
     * One report's rows.
     *
     * @param filters  the filter text, as the user gave it
     * @param dropGoal whether the filter's {@code event:goal} clauses are left out (a conversion rate's denominator)
     * @param groupBy  "" for one row; {@code time:hour|day|month} (buckets in {@code zone}); a filter dimension
     *                 ({@code event:page}, {@code visit:source}, {@code event:props:KEY}, ...); or
     *                 {@code visit:referrer_domain}, {@code event:label|action|category}
     */
    record Query(String site, long fromMillis, long toMillis, String filters, boolean dropGoal, String groupBy, String zone,
        Order order, int limit, long offset)
    {
    }

    /** What a filter tests, for the checks a report makes before it runs. */
    record Described(List<String> dimensions)
    {
        public boolean tests(final String dimension)
        {
            return dimensions.contains(dimension);
        }
    }

    /**
     * The figures of one group; the fields mean what the event store's documentation says (docs/rollups.md,
     * "Filters").
     */
    record Figures(String key, long visitors, long sessions, long pageviews, long events, long visits, long bounces,
        long durationMillis, long visitPageviews, long matches, long conversions, long convertingVisitors, long weight,
        long engagedMillis,
        long engagedVisitors, long scrollSum, long scrollCount, Map<String, BigDecimal> revenue,
        Map<String, BigDecimal> goalValue)
    {
        public static Figures empty(final String key)
        {
            return new Figures(key, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of());
        }

        /** The rows by their key. */
        public static Map<String, Figures> byKey(final List<Figures> rows)
        {
            final Map<String, Figures> map = new HashMap<>();
            rows.forEach(row -> map.put(row.key(), row));
            return map;
        }
    }

    /** A goal's time to conversion: its 50th and 90th percentiles, in milliseconds. */
    record ConversionTime(long p50Millis, long p90Millis)
    {
    }

    /** An event of a listed session: time (ms), type, name (null for none), URL, goal (null for none), flags. */
    record SessionEvent(long timeMillis, String type, String name, String url, String goal, boolean conversion, boolean kept)
    {
    }

    /** A listed session: ids, whether it converted, how many events it has in the range and its first ones. */
    record Session(long sessionId, long visitorId, boolean converted, long eventCount, List<SessionEvent> events)
    {
    }

    /** The realtime figures of the kept events, and the last journal index the store held when they were read. */
    record Recent(long events, long pageviews, long visitors, long[] perMinute, long sealedIndex)
    {
    }

    /** Reads {@code filters}; an {@link IllegalArgumentException} names the clause that cannot be read and why. */
    Described describe(String filters);

    /**
     * The rows of {@code query}; an {@link IllegalArgumentException} for filters or a grouping that cannot be read,
     * an {@link IllegalStateException} when the store cannot answer (a file cannot be read, say).
     */
    List<Figures> rows(Query query);

    /**
     * Per goal, the time to conversion of the conversions {@code query}'s filter keeps, as the rollups define it (from
     * the visitor's first event of its UTC day, which may lie before the range); {@code groupBy}, order and limit unused.
     */
    Map<String, ConversionTime> timeToConversion(Query query);

    /**
     * The conversions {@code query}'s filter keeps by their visitor's first source (first touch, as the rollups define
     * it), {@code query.groupBy()} the source's visit grouping ({@code visit:referrer_domain}, {@code visit:utm_source},
     * ...), most first, at most {@code query.limit()}.
     */
    Map<String, Long> firstTouch(Query query);

    /** The latest sessions with an event {@code query}'s filter keeps, at most {@code query.limit()}; converted ones only if asked. */
    List<Session> sessions(Query query, boolean convertedOnly);

    /** The kept events received and timed from {@code sinceMillis}, by minute ({@code minutes} of them). */
    Recent recent(String site, long sinceMillis, long nowMillis, int minutes, String filters);
}
