package io.tally.store.rollup;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.DayFigures;
import io.tally.store.rollup.day.SessionRows;
import io.tally.store.rollup.day.VisitFigures;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The site-wide figures of a range, for all traffic: pages (pageviews, visitors, visits, engaged time and scroll
 * depth), and the visits by the hour each started (visits, bounces, duration, pageviews; exits, sources and entry
 * pages with their visits and visitors). Within a day the hours' (and a sealed day's
 * deltas') cells unite, and days add, exactly as {@link RangeTotals} does. Visit figures change as a session goes
 * on, so a day still open, or sealed with deltas, is read from its session rows (the latest row of each session);
 * a sealed day alone from the visit cells it was written with. A cold path: queries only.
 */
public final class SiteWideTotals
{
    /** One page's figures: {@code scrollSum} over {@code scrollCount} engagements gives the mean scroll depth. */
    public record PageRow(String page, long pageviews, long visitors, long visits, long engagedMillis, long engagedVisitors,
        long scrollSum, long scrollCount)
    {
    }

    /** Visits and visitors of one source (or entry page). */
    public record SourceRow(String source, long visits, long visitors)
    {
    }

    /** Exits and exiting visitors of one page. */
    public record ExitRow(String page, long exits, long visitors)
    {
    }

    /** Visits, bounces, their summed duration and pageviews. */
    public record Visits(long visits, long bounces, long durationMillis, long pageviews)
    {
    }

    private final Map<String, long[]> pages = new HashMap<>();
    private final Map<Integer, Map<String, long[]>> sources = new HashMap<>();
    private final Map<String, long[]> exits = new HashMap<>();
    private final long[] visits = new long[4];

    /** Adds one day's figures in hours [from, to): a sealed day with its deltas, or an open day (under the lock). */
    void addDay(final List<? extends DayFigures> figures, final int fromHour, final int toHour)
    {
        final boolean sealedAlone = figures.size() == 1 && figures.get(0).hasWholeDayCells();
        final boolean whole = sealedAlone && fromHour == 0 && toHour == CellKind.HOURS;
        final int from = whole ? CellKind.DAY : fromHour;
        final int to = whole ? CellKind.DAY + 1 : toHour;
        for (final Map.Entry<String, CellSum> page : sums(figures, CellKind.PAGE, from, to, whole).entrySet())
        {
            final CellSum sum = page.getValue();
            final long[] row = pages.computeIfAbsent(sum.text3, p -> new long[7]);
            if (sum.number2 == CellKind.PAGE_VIEWS)
            {
                row[0] += sum.count0;
                row[1] += sum.cardinality0();
                row[2] += sum.cardinality1();
            }
            else
            {
                row[3] += sum.count1;
                row[4] += sum.cardinality0();
                row[5] += sum.count2;
                row[6] += sum.count0;
            }
        }
        if (sealedAlone)
        {
            addVisitCells(figures, from, to, whole);
        }
        else
        {
            addVisitRows(figures, fromHour, toHour);
        }
    }

    /** The key's figures summed over the day's sources and hours, by key (text 3, and the part or dimension). */
    private static Map<String, CellSum> sums(final List<? extends DayFigures> figures, final CellKind kind, final int from,
        final int to, final boolean whole)
    {
        final Map<String, CellSum> sums = new HashMap<>();
        for (final DayFigures source : figures)
        {
            source.cells(kind, from, to, cell ->
            {
                final int part = kind == CellKind.PAGE ? source.key1(cell) : source.key2(cell);
                final String text = source.string(source.key3(cell));
                final CellSum sum = sums.computeIfAbsent(part + "\0" + text, k -> new CellSum(null, part, null, text));
                if (whole)
                {
                    sum.take(source, cell);
                }
                else
                {
                    sum.add(source, cell);
                }
            });
        }
        return sums;
    }

    private void addVisitCells(final List<? extends DayFigures> figures, final int from, final int to, final boolean whole)
    {
        final DayFigures day = figures.get(0);
        day.cells(CellKind.VISIT, from, to, cell ->
        {
            if (day.key1(cell) == 0)
            {
                visits[0] += day.count0(cell);
                visits[1] += day.count1(cell);
                visits[2] += day.count2(cell);
            }
            else
            {
                visits[3] += day.count0(cell);
            }
        });
        for (final CellSum sum : sums(figures, CellKind.EXIT_PAGE, from, to, whole).values())
        {
            final long[] row = exits.computeIfAbsent(sum.text3, p -> new long[2]);
            row[0] += sum.count0;
            row[1] += sum.cardinality0();
        }
        for (final CellSum sum : sums(figures, CellKind.SOURCE, from, to, whole).values())
        {
            final long[] row = sources.computeIfAbsent(sum.number2, d -> new HashMap<>()).computeIfAbsent(sum.text3,
                s -> new long[2]);
            row[0] += sum.count0;
            row[1] += sum.cardinality0();
        }
    }

    /** The visits of an open day, or a sealed one with deltas: each session's latest row, by the hour it started. */
    private void addVisitRows(final List<? extends DayFigures> figures, final int fromHour, final int toHour)
    {
        final Map<Integer, Object[]> latest = new HashMap<>();
        for (final DayFigures source : figures)
        {
            final SessionRows rows = source.sessionRows();
            for (int row = 0; row < rows.rows(); row++)
            {
                latest.put(rows.ordinal(row), new Object[] {source, row});
            }
        }
        final Map<String, RoaringBitmap> exitVisitors = new HashMap<>();
        final Map<String, RoaringBitmap> sourceVisitors = new HashMap<>();
        for (final Object[] at : latest.values())
        {
            final DayFigures source = (DayFigures)at[0];
            final SessionRows rows = source.sessionRows();
            final int row = (Integer)at[1];
            final int hour = VisitFigures.hourOf(rows.first(row));
            if (rows.events(row) == 0 || hour < fromHour || hour >= toHour)
            {
                continue;
            }
            visits[0]++;
            visits[1] += rows.events(row) == 1 ? 1 : 0;
            visits[2] += rows.last(row) - rows.first(row);
            visits[3] += rows.pageviews(row);
            final String page = source.string(rows.exitPage(row));
            exits.computeIfAbsent(page, p -> new long[2])[0]++;
            exitVisitors.computeIfAbsent(page, p -> new RoaringBitmap()).add(rows.visitor(row));
            for (int d = 0; d < SessionRows.SOURCES; d++)
            {
                final int dimension = d == SessionRows.ENTRY ? CellKind.ENTRY_PAGE : d;
                final String text = source.string(rows.source(row, d));
                sources.computeIfAbsent(dimension, n -> new HashMap<>()).computeIfAbsent(text, t -> new long[2])[0]++;
                sourceVisitors.computeIfAbsent(dimension + "\0" + text, k -> new RoaringBitmap()).add(rows.visitor(row));
            }
        }
        exitVisitors.forEach((page, visitors) -> exits.get(page)[1] += visitors.getLongCardinality());
        sourceVisitors.forEach((key, visitors) ->
        {
            final int split = key.indexOf('\0');
            sources.get(Integer.parseInt(key.substring(0, split))).get(key.substring(split + 1))[1] += visitors.getLongCardinality();
        });
    }

    /** Pages by pageviews, most first (then by page). */
    public List<PageRow> pages()
    {
        final List<PageRow> rows = new ArrayList<>();
        pages.forEach((page, c) -> rows.add(new PageRow(page, c[0], c[1], c[2], c[3], c[4], c[5], c[6])));
        rows.sort(Comparator.comparingLong(PageRow::pageviews).reversed().thenComparing(PageRow::page));
        return rows;
    }

    /**
     * Sources of one dimension by visits, most first.
     *
     * @param dimension 0-3 ({@link io.tally.store.rollup.day.Source#DIMENSIONS}) or {@link CellKind#ENTRY_PAGE}.
     */
    public List<SourceRow> sources(final int dimension)
    {
        final List<SourceRow> rows = new ArrayList<>();
        sources.getOrDefault(dimension, Map.of()).forEach((source, c) -> rows.add(new SourceRow(source, c[0], c[1])));
        rows.sort(Comparator.comparingLong(SourceRow::visits).reversed().thenComparing(SourceRow::source));
        return rows;
    }

    /** Entry pages by visits, most first. */
    public List<SourceRow> entryPages()
    {
        return sources(CellKind.ENTRY_PAGE);
    }

    /** Exit pages by exits, most first. */
    public List<ExitRow> exitPages()
    {
        final List<ExitRow> rows = new ArrayList<>();
        exits.forEach((page, c) -> rows.add(new ExitRow(page, c[0], c[1])));
        rows.sort(Comparator.comparingLong(ExitRow::exits).reversed().thenComparing(ExitRow::page));
        return rows;
    }

    public Visits visits()
    {
        return new Visits(visits[0], visits[1], visits[2], visits[3]);
    }
}
