package io.tally.store.rollup;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one site over a range of hours: within each day the hours' bitmaps are united, and the days'
 * distinct counts add (ids never repeat across days, see {@link DayRollup}), so every count is exact. A
 * snapshot: later events do not change it.
 */
public final class RangeTotals
{
    private long pageviews;
    private long events;
    private long visitors;
    private long sessions;
    private final Map<String, BigDecimal> revenue = new TreeMap<>();
    private final Map<String, long[]> names = new HashMap<>();
    private final Map<String, Map<String, Map<String, long[]>>> properties = new HashMap<>();
    private final Map<String, GoalTotals> goals = new HashMap<>();
    private final Counts[] meta = {new Counts(), new Counts(), new Counts()};

    RangeTotals()
    {
    }

    /** Adds one day's united hours. */
    void addDay(final HourRollup day)
    {
        pageviews += day.pageviews;
        events += day.events;
        visitors += day.visitors.getLongCardinality();
        sessions += day.sessions.getLongCardinality();
        Bitmaps.addMoney(revenue, day.revenue);
        day.names.forEach((name, rollup) ->
        {
            add(names.computeIfAbsent(name, n -> new long[2]), rollup.total);
            rollup.properties.forEach((key, values) -> values.forEach((value, counts) -> add(properties
                .computeIfAbsent(name, n -> new HashMap<>()).computeIfAbsent(key, k -> new HashMap<>())
                .computeIfAbsent(value, v -> new long[2]), counts)));
        });
        day.goals.forEach((name, rollup) -> goals.computeIfAbsent(name, n -> new GoalTotals()).add(rollup));
        for (int m = 0; m < meta.length; m++)
        {
            meta[m].addAll(day.meta[m]);
        }
    }

    private static void add(final long[] into, final ValueRollup counts)
    {
        into[0] += counts.events;
        into[1] += counts.visitors.getLongCardinality();
    }

    public long visitors()
    {
        return visitors;
    }

    public long sessions()
    {
        return sessions;
    }

    public long pageviews()
    {
        return pageviews;
    }

    /** Events other than pageviews and engagement: custom events, clicks, forms, downloads. */
    public long events()
    {
        return events;
    }

    /** Revenue of every event that carried some, by currency. */
    public Map<String, BigDecimal> revenue()
    {
        return new TreeMap<>(revenue);
    }

    /** Conversions over all goals (each goal's count of matches that count as conversions). */
    public long conversions()
    {
        return goals.values().stream().mapToLong(GoalTotals::conversions).sum();
    }

    /** Figures of one goal, or null when it had no match in the range. */
    public GoalTotals goal(final String name)
    {
        return goals.get(name);
    }

    /** Events and visitors by event name, most events first. */
    public Map<String, long[]> names()
    {
        return sortedByEvents(names);
    }

    /** For one event name: per property key, its values with events and visitors (most events first). */
    public Map<String, Map<String, long[]>> properties(final String name)
    {
        final Map<String, Map<String, long[]>> keys = new TreeMap<>();
        properties.getOrDefault(name, Map.of()).forEach((key, values) -> keys.put(key, sortedByEvents(values)));
        return keys;
    }

    /** Events by label ({@code el}), highest first. */
    public Map<String, Long> labels()
    {
        return meta[0].sorted();
    }

    /** Events by action ({@code ea}), highest first. */
    public Map<String, Long> actions()
    {
        return meta[1].sorted();
    }

    /** Events by category ({@code ec}), highest first. */
    public Map<String, Long> categories()
    {
        return meta[2].sorted();
    }

    private static Map<String, long[]> sortedByEvents(final Map<String, long[]> counts)
    {
        final Map<String, long[]> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
            .sorted((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0]) :
                a.getKey().compareTo(b.getKey()))
            .forEach(e -> sorted.put(e.getKey(), e.getValue().clone()));
        return sorted;
    }

    /** One goal's figures in the range. */
    public static final class GoalTotals
    {
        private long matches;
        private long conversions;
        private long convertingVisitors;
        private long weight;
        private final Map<String, BigDecimal> value = new TreeMap<>();
        private final Map<String, BigDecimal> revenue = new TreeMap<>();
        private final Attribution attribution = new Attribution();

        void add(final GoalRollup day)
        {
            matches += day.matches;
            conversions += day.conversions;
            convertingVisitors += day.converters.getLongCardinality();
            weight += day.weight;
            Bitmaps.addMoney(value, day.value);
            Bitmaps.addMoney(revenue, day.revenue);
            attribution.addAll(day.attribution);
        }

        public long matches()
        {
            return matches;
        }

        public long conversions()
        {
            return conversions;
        }

        public long convertingVisitors()
        {
            return convertingVisitors;
        }

        public long weight()
        {
            return weight;
        }

        public Map<String, BigDecimal> value()
        {
            return new TreeMap<>(value);
        }

        public Map<String, BigDecimal> revenue()
        {
            return new TreeMap<>(revenue);
        }

        /**
         * Conversions by source, highest first.
         *
         * @param dimension one of {@code referrer}, {@code utm_source}, {@code utm_medium}, {@code utm_campaign}.
         * @param first the visitor's first source, else the converting session's.
         * @return null for an unknown dimension.
         */
        public Map<String, Long> bySource(final String dimension, final boolean first)
        {
            return attribution.bySource(dimension, first);
        }

        /** Conversions by the converting session's entry page, highest first. */
        public Map<String, Long> byEntryPage()
        {
            return attribution.byEntryPage();
        }

        /** Time from the visitor's first event to the conversion at {@code percentile}, in milliseconds. */
        public long timeToConversionMillis(final double percentile)
        {
            return attribution.timeToConversionMillis(percentile);
        }
    }
}
