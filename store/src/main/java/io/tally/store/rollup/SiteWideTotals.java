package io.tally.store.rollup;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.Cells;
import io.tally.store.rollup.day.Dictionary;
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

    /**
     * The visits of an open day, or a sealed one with deltas: made from each session's latest row as sealing makes
     * them ({@link VisitFigures}), then read like a sealed day's hour cells.
     */
    private void addVisitRows(final List<? extends DayFigures> figures, final int fromHour, final int toHour)
    {
        final Cells cells = new Cells();
        final LatestRows latest = figures.size() == 1 ? null : new LatestRows(figures);
        VisitFigures.addTo(cells, latest == null ? figures.get(0).sessionRows() : latest, false);
        final java.util.function.IntFunction<String> text = latest == null ? figures.get(0)::string : latest.texts::string;
        // each exit page's or source's visitors, united over the hours, and the row they count in
        final Map<String, RoaringBitmap> visitors = new HashMap<>();
        final Map<String, long[]> rowOf = new HashMap<>();
        for (int cell = 0; cell < cells.count(); cell++)
        {
            if (cells.hour(cell) < fromHour || cells.hour(cell) >= toHour)
            {
                continue;
            }
            final long[] row;
            final String key;
            switch (cells.kind(cell))
            {
                case VISIT ->
                {
                    if (cells.key1(cell) == 0)
                    {
                        visits[0] += cells.count0(cell);
                        visits[1] += cells.count1(cell);
                        visits[2] += cells.count2(cell);
                    }
                    else
                    {
                        visits[3] += cells.count0(cell);
                    }
                    continue;
                }
                case EXIT_PAGE ->
                {
                    row = exits.computeIfAbsent(text.apply(cells.key3(cell)), p -> new long[2]);
                    key = "exit\0" + text.apply(cells.key3(cell));
                }
                default ->
                {
                    row = sources.computeIfAbsent(cells.key2(cell), d -> new HashMap<>())
                        .computeIfAbsent(text.apply(cells.key3(cell)), t -> new long[2]);
                    key = cells.key2(cell) + "\0" + text.apply(cells.key3(cell));
                }
            }
            row[0] += cells.count0(cell);
            visitors.merge(key, cells.bitmap0(cell), (a, b) -> RoaringBitmap.or(a, b));
            rowOf.put(key, row);
        }
        visitors.forEach((key, union) -> rowOf.get(key)[1] += union.getLongCardinality());
    }

    /** Rows of several sources (a sealed day and its deltas): each session's latest, its texts in one dictionary. */
    private static final class LatestRows implements SessionRows
    {
        final Dictionary texts = new Dictionary();
        private final List<DayFigures> sourceOf = new ArrayList<>();
        private final List<Integer> rowOf = new ArrayList<>();

        LatestRows(final List<? extends DayFigures> figures)
        {
            final Map<Integer, Integer> index = new HashMap<>();
            for (final DayFigures source : figures)
            {
                final SessionRows rows = source.sessionRows();
                for (int row = 0; row < rows.rows(); row++)
                {
                    final Integer at = index.putIfAbsent(rows.ordinal(row), sourceOf.size());
                    if (at == null)
                    {
                        sourceOf.add(source);
                        rowOf.add(row);
                    }
                    else
                    {
                        sourceOf.set(at, source);
                        rowOf.set(at, row);
                    }
                }
            }
        }

        private SessionRows rows(final int row)
        {
            return sourceOf.get(row).sessionRows();
        }

        private int text(final int row, final int id)
        {
            return texts.id(sourceOf.get(row).string(id));
        }

        @Override
        public int rows()
        {
            return sourceOf.size();
        }

        @Override
        public int ordinal(final int row)
        {
            return rows(row).ordinal(rowOf.get(row));
        }

        @Override
        public long first(final int row)
        {
            return rows(row).first(rowOf.get(row));
        }

        @Override
        public long last(final int row)
        {
            return rows(row).last(rowOf.get(row));
        }

        @Override
        public int exitPage(final int row)
        {
            return text(row, rows(row).exitPage(rowOf.get(row)));
        }

        @Override
        public int pageviews(final int row)
        {
            return rows(row).pageviews(rowOf.get(row));
        }

        @Override
        public int events(final int row)
        {
            return rows(row).events(rowOf.get(row));
        }

        @Override
        public int visitor(final int row)
        {
            return rows(row).visitor(rowOf.get(row));
        }

        @Override
        public int source(final int row, final int d)
        {
            return text(row, rows(row).source(rowOf.get(row), d));
        }
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
