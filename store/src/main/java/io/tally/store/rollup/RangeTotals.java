package io.tally.store.rollup;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one site over a range of hours, merged from the hourly rollups: distinct counts are unions
 * of the hours' bitmaps, so they are exact. A snapshot: later events do not change it.
 */
public final class RangeTotals
{
    private final HourRollup merged;

    RangeTotals(final HourRollup merged)
    {
        this.merged = merged;
    }

    public long visitors()
    {
        return merged.visitors.getLongCardinality();
    }

    public long sessions()
    {
        return merged.sessions.getLongCardinality();
    }

    public long pageviews()
    {
        return merged.pageviews;
    }

    /** Events other than pageviews and engagement: custom events, clicks, forms, downloads. */
    public long events()
    {
        return merged.events;
    }

    /** Revenue of every event that carried some, by currency. */
    public Map<String, BigDecimal> revenue()
    {
        return new TreeMap<>(merged.revenue);
    }

    /** Conversions over all goals (each goal's count of matches that count as conversions). */
    public long conversions()
    {
        return merged.goals.values().stream().mapToLong(g -> g.conversions).sum();
    }

    /** Events by label ({@code el}), highest first. */
    public Map<String, Long> labels()
    {
        return merged.meta[0].sorted();
    }

    /** Events by action ({@code ea}), highest first. */
    public Map<String, Long> actions()
    {
        return merged.meta[1].sorted();
    }

    /** Events by category ({@code ec}), highest first. */
    public Map<String, Long> categories()
    {
        return merged.meta[2].sorted();
    }

    /** Figures of one goal, or null when it had no match in the range. */
    public GoalTotals goal(final String name)
    {
        final GoalRollup goal = merged.goals.get(name);
        return goal == null ? null : new GoalTotals(goal);
    }

    /** Events and visitors by event name, most events first. */
    public Map<String, long[]> names()
    {
        final Map<String, long[]> names = new LinkedHashMap<>();
        merged.names.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue().total.events, a.getValue().total.events))
            .forEach(e -> names.put(e.getKey(), new long[] {e.getValue().total.events, e.getValue().total.visitors.getLongCardinality()}));
        return names;
    }

    /** For one event name: per property key, its values with events and visitors (most events first). */
    public Map<String, Map<String, long[]>> properties(final String name)
    {
        final Map<String, Map<String, long[]>> keys = new TreeMap<>();
        final NameRollup rollup = merged.names.get(name);
        if (rollup == null)
        {
            return keys;
        }
        rollup.properties.forEach((key, values) ->
        {
            final Map<String, long[]> out = new LinkedHashMap<>();
            values.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().events, a.getValue().events))
                .forEach(v -> out.put(v.getKey(), new long[] {v.getValue().events, v.getValue().visitors.getLongCardinality()}));
            keys.put(key, out);
        });
        return keys;
    }

    /** One goal's figures in the range. */
    public static final class GoalTotals
    {
        private final GoalRollup goal;

        GoalTotals(final GoalRollup goal)
        {
            this.goal = goal;
        }

        public long matches()
        {
            return goal.matches;
        }

        public long conversions()
        {
            return goal.conversions;
        }

        public long convertingVisitors()
        {
            return goal.converters.getLongCardinality();
        }

        public long weight()
        {
            return goal.weight;
        }

        public Map<String, BigDecimal> value()
        {
            return new TreeMap<>(goal.value);
        }

        public Map<String, BigDecimal> revenue()
        {
            return new TreeMap<>(goal.revenue);
        }

        /**
         * Conversions by source, highest first.
         *
         * @param dimension one of {@code referrer}, {@code utm_source}, {@code utm_medium}, {@code utm_campaign}.
         * @param firstTouch the visitor's first source, else the converting session's.
         * @return null for an unknown dimension.
         */
        public Map<String, Long> bySource(final String dimension, final boolean firstTouch)
        {
            for (int d = 0; d < Source.DIMENSIONS.length; d++)
            {
                if (Source.DIMENSIONS[d].equals(dimension))
                {
                    return (firstTouch ? goal.firstTouch : goal.lastTouch)[d].sorted();
                }
            }
            return null;
        }

        /** Conversions by the converting session's entry page, highest first. */
        public Map<String, Long> byEntryPage()
        {
            return goal.entryPages.sorted();
        }

        /** Time from the visitor's first event to the conversion at {@code percentile}, in milliseconds. */
        public long timeToConversionMillis(final double percentile)
        {
            return goal.timeToConversion.getTotalCount() == 0 ? 0 : goal.timeToConversion.getValueAtPercentile(percentile);
        }
    }
}
