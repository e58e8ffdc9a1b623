package io.tally.store.rollup;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.DayFigures;
import io.tally.store.rollup.day.Source;
import org.HdrHistogram.Histogram;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one site over a range of hours: within each day the cells of its hours (and of a sealed day's
 * deltas) are united, and the days' distinct counts add (visitor ids never repeat across days: the salt changes
 * with the UTC day), so every count is exact. A whole sealed day is read from its whole-day cells without uniting
 * anything. A snapshot: later events do not change it (the site-wide figures of open days are read when first asked
 * for, {@link #siteWide()}).
 */
public final class RangeTotals
{
    /**
     * The kinds a query reads, in groups read only when asked for: the KPIs and goal counts; event names and
     * properties; labels, actions and categories; goal values, revenue, attribution and time to conversion.
     */
    private static final CellKind[][] GROUPS = {{CellKind.TOTAL, CellKind.REVENUE, CellKind.GOAL}, {CellKind.NAME,
        CellKind.PROPERTY}, {CellKind.META}, {CellKind.GOAL_VALUE, CellKind.GOAL_REVENUE, CellKind.ATTRIBUTION},
        {CellKind.AUDIENCE}, {CellKind.COUNTRY}};
    private static final int KPIS = 0;
    private static final int NAMES = 1;
    private static final int META = 2;
    private static final int GOAL_DETAILS = 3;
    private static final int AUDIENCE = 4;
    private static final int COUNTRIES = 5;

    /** Sealed days not read yet: immutable, so they may be read later, outside any lock. */
    private final List<Slice> sealed = new ArrayList<>();
    private final boolean[] read = new boolean[GROUPS.length];

    private long pageviews;
    private long events;
    private long visitors;
    private long sessions;
    private final Map<String, BigDecimal> revenue = new TreeMap<>();
    private final Map<String, long[]> names = new HashMap<>();
    private final Map<String, Map<String, Map<String, long[]>>> properties = new HashMap<>();
    private final Map<String, GoalTotals> goals = new HashMap<>();
    private final Counts[] meta = {new Counts(), new Counts(), new Counts()};
    private final Map<Integer, AudienceRow> countries = new HashMap<>();
    private final SiteWideTotals siteWide = new SiteWideTotals();
    private boolean siteWideRead;
    /**
     * Open days whose site-wide figures are read only when asked for (their visits are made from every session's
     * row, which no other figure needs), under the rollups' read lock; an open day's cube stays readable after it
     * is sealed (it is no longer written), so they are then as of the time asked.
     */
    private final List<Slice> openSiteWide = new ArrayList<>();
    private final java.util.concurrent.locks.Lock readLock;
    private final AudienceTotals audience = new AudienceTotals();

    RangeTotals(final java.util.concurrent.locks.Lock readLock)
    {
        this.readLock = readLock;
    }

    /** One day's sources and hours. */
    private record Slice(List<? extends DayFigures> sources, int fromHour, int toHour)
    {
    }

    /** Adds an open day (its figures read now, under the rollups' lock) in hours [from, to). */
    void addOpenDay(final List<? extends DayFigures> sources, final int fromHour, final int toHour)
    {
        for (int group = 0; group < GROUPS.length; group++)
        {
            addDay(sources, fromHour, toHour, group);
        }
        openSiteWide.add(new Slice(sources, fromHour, toHour));
    }

    /** Adds a sealed day and its deltas, read when a figure asks for them. */
    void addSealedDay(final List<? extends DayFigures> sources, final int fromHour, final int toHour)
    {
        sealed.add(new Slice(sources, fromHour, toHour));
    }

    /** Reads a group of kinds from every sealed day, once. */
    private void ensure(final int group)
    {
        if (!read[group])
        {
            read[group] = true;
            for (final Slice slice : sealed)
            {
                addDay(slice.sources(), slice.fromHour(), slice.toHour(), group);
            }
        }
    }

    private void addDay(final List<? extends DayFigures> sources, final int fromHour, final int toHour, final int group)
    {
        final boolean whole = sources.size() == 1 && sources.get(0).hasWholeDayCells() && fromHour == 0 &&
            toHour == CellKind.HOURS;
        if (group == AUDIENCE)
        {
            audience.addDay(sources, fromHour, toHour, whole);
            return;
        }
        final boolean histograms = group == GOAL_DETAILS;
        for (final CellKind kind : histograms ? new CellKind[] {CellKind.GOAL_VALUE, CellKind.GOAL_REVENUE, CellKind.ATTRIBUTION,
            CellKind.GOAL} : GROUPS[group])
        {
            final Map<String, CellSum> sums = new HashMap<>();
            for (final DayFigures figures : sources)
            {
                figures.cells(kind, whole ? CellKind.DAY : fromHour, whole ? CellKind.DAY + 1 : toHour, cell ->
                {
                    final CellSum sum = sums.computeIfAbsent(key(kind, figures, cell), k -> newSum(kind, figures, cell));
                    if (histograms && kind == CellKind.GOAL)
                    {
                        sum.addHistogram(figures, cell);
                    }
                    else if (whole)
                    {
                        sum.take(figures, cell);
                    }
                    else
                    {
                        sum.add(figures, cell);
                    }
                });
            }
            sums.values().forEach(sum -> add(kind, sum, histograms));
        }
    }

    /** The texts a cell is keyed by, joined: hours and sources with the same key unite. */
    private static String key(final CellKind kind, final DayFigures figures, final int cell)
    {
        return switch (kind)
        {
            case TOTAL -> "";
            case COUNTRY -> Integer.toString(figures.key1(cell));
            case REVENUE, GOAL -> figures.string(figures.key1(cell));
            case NAME -> figures.string(figures.key3(cell));
            case META -> figures.key1(cell) + "\0" + figures.string(figures.key3(cell));
            case GOAL_VALUE, GOAL_REVENUE -> figures.string(figures.key1(cell)) + "\0" + figures.string(figures.key2(cell));
            case ATTRIBUTION -> figures.string(figures.key1(cell)) + "\0" + figures.key2(cell) + "\0" +
                figures.string(figures.key3(cell));
            default -> figures.string(figures.key1(cell)) + "\0" + figures.string(figures.key2(cell)) + "\0" +
                figures.string(figures.key3(cell));
        };
    }

    private static CellSum newSum(final CellKind kind, final DayFigures figures, final int cell)
    {
        return switch (kind)
        {
            case TOTAL -> new CellSum(null, 0, null, null);
            case COUNTRY -> new CellSum(null, figures.key1(cell), null, null);
            case REVENUE, GOAL -> new CellSum(figures.string(figures.key1(cell)), 0, null, null);
            case NAME -> new CellSum(null, 0, null, figures.string(figures.key3(cell)));
            case META -> new CellSum(null, figures.key1(cell), null, figures.string(figures.key3(cell)));
            case GOAL_VALUE, GOAL_REVENUE -> new CellSum(figures.string(figures.key1(cell)), 0, figures.string(figures.key2(cell)),
                null);
            case ATTRIBUTION -> new CellSum(figures.string(figures.key1(cell)), figures.key2(cell), null,
                figures.string(figures.key3(cell)));
            default -> new CellSum(figures.string(figures.key1(cell)), 0, figures.string(figures.key2(cell)),
                figures.string(figures.key3(cell)));
        };
    }

    private void add(final CellKind kind, final CellSum sum, final boolean histograms)
    {
        switch (kind)
        {
            case TOTAL ->
            {
                pageviews += sum.count0;
                events += sum.count1;
                visitors += sum.cardinality0();
                sessions += sum.cardinality1();
            }
            case REVENUE -> addMoney(revenue, sum.text1, sum.money);
            case NAME -> addCounts(names.computeIfAbsent(sum.text3, n -> new long[2]), sum);
            case PROPERTY -> addCounts(properties.computeIfAbsent(sum.text1, n -> new HashMap<>())
                .computeIfAbsent(sum.text2, k -> new HashMap<>()).computeIfAbsent(sum.text3, v -> new long[2]), sum);
            case META -> meta[sum.number2].add(sum.text3, sum.count0);
            case GOAL -> goalOf(sum.text1).add(sum, histograms);
            case GOAL_VALUE -> addMoney(goalOf(sum.text1).value, sum.text2, sum.money);
            case GOAL_REVENUE -> addMoney(goalOf(sum.text1).revenue, sum.text2, sum.money);
            case ATTRIBUTION -> goalOf(sum.text1).attribute(sum.number2, sum.text3, sum.count0);
            case COUNTRY -> countries.computeIfAbsent(sum.number2, c -> new AudienceRow()).add(sum);
            default -> throw new IllegalStateException("not a queried kind: " + kind);
        }
    }

    private GoalTotals goalOf(final String name)
    {
        return goals.computeIfAbsent(name, g -> new GoalTotals(this));
    }

    private static void addCounts(final long[] into, final CellSum sum)
    {
        into[0] += sum.count0;
        into[1] += sum.cardinality0();
    }

    private static void addMoney(final Map<String, BigDecimal> into, final String currency, final BigDecimal amount)
    {
        if (amount != null)
        {
            into.merge(currency, amount, BigDecimal::add);
        }
    }

    /** The site-wide figures, for all traffic: pages, sources, entry and exit pages, visits. */
    public SiteWideTotals siteWide()
    {
        if (!siteWideRead)
        {
            siteWideRead = true;
            readLock.lock();
            try
            {
                for (final Slice slice : openSiteWide)
                {
                    siteWide.addDay(slice.sources(), slice.fromHour(), slice.toHour());
                }
            }
            finally
            {
                readLock.unlock();
            }
            for (final Slice slice : sealed)
            {
                siteWide.addDay(slice.sources(), slice.fromHour(), slice.toHour());
            }
        }
        return siteWide;
    }

    /** Browsers, operating systems and device classes. */
    public AudienceTotals audience()
    {
        ensure(AUDIENCE);
        return audience;
    }

    public long visitors()
    {
        ensure(KPIS);
        return visitors;
    }

    public long sessions()
    {
        ensure(KPIS);
        return sessions;
    }

    public long pageviews()
    {
        ensure(KPIS);
        return pageviews;
    }

    /** Events other than pageviews and engagement: custom events, clicks, forms, downloads. */
    public long events()
    {
        ensure(KPIS);
        return events;
    }

    /** Revenue of every event that carried some, by currency. */
    public Map<String, BigDecimal> revenue()
    {
        ensure(KPIS);
        return new TreeMap<>(revenue);
    }

    /** Conversions over all goals (each goal's count of matches that count as conversions). */
    public long conversions()
    {
        ensure(KPIS);
        return goals.values().stream().mapToLong(GoalTotals::conversions).sum();
    }

    /** Figures of one goal, or null when it had no match in the range. */
    public GoalTotals goal(final String name)
    {
        ensure(KPIS);
        final GoalTotals goal = goals.get(name);
        return goal == null || goal.matches == 0 ? null : goal;
    }

    /** Events and visitors by event name, most events first. */
    public Map<String, long[]> names()
    {
        ensure(NAMES);
        return sortedByEvents(names);
    }

    /** For one event name: per property key, its values with events and visitors (most events first). */
    public Map<String, Map<String, long[]>> properties(final String name)
    {
        ensure(NAMES);
        final Map<String, Map<String, long[]>> keys = new TreeMap<>();
        properties.getOrDefault(name, Map.of()).forEach((key, values) -> keys.put(key, sortedByEvents(values)));
        return keys;
    }

    /** Events by label ({@code el}), highest first. */
    public Map<String, Long> labels()
    {
        ensure(META);
        return meta[0].sorted();
    }

    /** Events by action ({@code ea}), highest first. */
    public Map<String, Long> actions()
    {
        ensure(META);
        return meta[1].sorted();
    }

    /** Events by category ({@code ec}), highest first. */
    public Map<String, Long> categories()
    {
        ensure(META);
        return meta[2].sorted();
    }

    /**
     * Pageviews, conversions, visitors and converting visitors by the visitors' country (ISO 3166-1 alpha-2; null for
     * unknown), most visitors first. A visitor seen in two countries counts in both.
     */
    public Map<String, AudienceRow> countries()
    {
        ensure(COUNTRIES);
        final Map<String, AudienceRow> byCode = new HashMap<>();
        countries.forEach((key, row) -> byCode.put(CellKind.countryCode(key), row));
        return AudienceRow.sorted(byCode);
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
        private final RangeTotals range;
        private long matches;
        private long conversions;
        private long convertingVisitors;
        private long weight;
        private final Map<String, BigDecimal> value = new TreeMap<>();
        private final Map<String, BigDecimal> revenue = new TreeMap<>();
        private final Counts[] touches = new Counts[CellKind.ENTRY_PAGE + 1];
        private final Histogram timeToConversion = new Histogram(3);

        GoalTotals(final RangeTotals range)
        {
            this.range = range;
            for (int d = 0; d < touches.length; d++)
            {
                touches[d] = new Counts();
            }
            timeToConversion.setAutoResize(true);
        }

        void add(final CellSum sum, final boolean histograms)
        {
            if (histograms)
            {
                if (sum.histogram != null)
                {
                    timeToConversion.add(sum.histogram);
                }
                return;
            }
            matches += sum.count0;
            conversions += sum.count1;
            weight += sum.count2;
            convertingVisitors += sum.cardinality0();
        }

        void attribute(final int dimension, final String source, final long count)
        {
            touches[dimension].add(source, count);
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
            range.ensure(GOAL_DETAILS);
            return new TreeMap<>(value);
        }

        public Map<String, BigDecimal> revenue()
        {
            range.ensure(GOAL_DETAILS);
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
            range.ensure(GOAL_DETAILS);
            for (int d = 0; d < Source.DIMENSIONS.length; d++)
            {
                if (Source.DIMENSIONS[d].equals(dimension))
                {
                    return touches[(first ? CellKind.FIRST_TOUCH : CellKind.LAST_TOUCH) + d].sorted();
                }
            }
            return null;
        }

        /** Conversions by the converting session's entry page, highest first. */
        public Map<String, Long> byEntryPage()
        {
            range.ensure(GOAL_DETAILS);
            return touches[CellKind.ENTRY_PAGE].sorted();
        }

        /** Time from the visitor's first event to the conversion at {@code percentile}, in milliseconds. */
        public long timeToConversionMillis(final double percentile)
        {
            range.ensure(GOAL_DETAILS);
            return timeToConversion.getTotalCount() == 0 ? 0 : timeToConversion.getValueAtPercentile(percentile);
        }
    }
}
