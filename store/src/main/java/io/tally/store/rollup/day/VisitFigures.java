package io.tally.store.rollup.day;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * The visit figures of a day's sessions ({@link SessionRows}), by the hour of each visit's first event: visits,
 * bounces (a visit of one event, engagement aside), duration (its last event's time less its first's), pageviews,
 * exits by page, and visits by source and entry page, the last two with their visitors. A visit is counted where
 * it starts, as Plausible counts it on its start day; a session that runs past an hour (or a site's midnight) stays
 * in the hour it started. Made when a day is written (a cold path): the visitors of each cell are gathered first
 * and put in its bitmap at once, in order, which costs far less than adding them one by one.
 */
public final class VisitFigures
{
    private static final long MILLIS_PER_HOUR = 3_600_000L;
    /** The {@link CellKind#SOURCE} dimension of each of a row's sources. */
    private static final int[] DIMENSIONS = {0, 1, 2, 3, CellKind.ENTRY_PAGE};

    private VisitFigures()
    {
    }

    /** The UTC hour of the day (0-23) a visit starting at {@code first} counts in. */
    public static int hourOf(final long first)
    {
        return (int)Math.floorMod(Math.floorDiv(first, MILLIS_PER_HOUR), (long)CellKind.HOURS);
    }

    /**
     * Adds the visits of {@code rows} to {@code cells} as {@link CellKind#VISIT}, {@link CellKind#EXIT_PAGE} and
     * {@link CellKind#SOURCE} cells of their hours, and with {@code wholeDay} of the whole day ({@link CellKind#DAY}).
     */
    public static void addTo(final Cells cells, final SessionRows rows, final boolean wholeDay)
    {
        final long[][] visits = new long[4][CellKind.DAY + 1];
        // each hour cell's visitors, and the whole-day cell of the same key (-1 for none)
        final Int2ObjectHashMap<IntArrayList> visitors = new Int2ObjectHashMap<>();
        final Int2IntHashMap dayCells = new Int2IntHashMap(-1);
        for (int row = 0; row < rows.rows(); row++)
        {
            if (rows.events(row) == 0)
            {
                continue;
            }
            final int hour = hourOf(rows.first(row));
            final long[] figures = {1, rows.events(row) == 1 ? 1 : 0, rows.last(row) - rows.first(row), rows.pageviews(row)};
            for (int f = 0; f < figures.length; f++)
            {
                visits[f][hour] += figures[f];
                visits[f][CellKind.DAY] += figures[f];
            }
            count(cells, visitors, dayCells, CellKind.EXIT_PAGE, hour, 0, rows.exitPage(row), rows.visitor(row), wholeDay);
            for (int d = 0; d < DIMENSIONS.length; d++)
            {
                count(cells, visitors, dayCells, CellKind.SOURCE, hour, DIMENSIONS[d], rows.source(row, d), rows.visitor(row),
                    wholeDay);
            }
        }
        for (int hour = 0; hour <= CellKind.DAY; hour++)
        {
            if (visits[0][hour] > 0 && (hour < CellKind.DAY || wholeDay))
            {
                final int cell = cells.cell(CellKind.VISIT, hour, 0, 0, 0);
                cells.add0(cell, visits[0][hour]);
                cells.add1(cell, visits[1][hour]);
                cells.add2(cell, visits[2][hour]);
                cells.add0(cells.cell(CellKind.VISIT, hour, 1, 0, 0), visits[3][hour]);
            }
        }
        final Int2ObjectHashMap<IntArrayList>.KeyIterator hourCells = visitors.keySet().iterator();
        while (hourCells.hasNext())
        {
            final int cell = hourCells.nextInt();
            final IntArrayList ordinals = visitors.get(cell);
            final int[] sorted = ordinals.toIntArray();
            java.util.Arrays.sort(sorted);
            final RoaringBitmap bitmap = new RoaringBitmap();
            bitmap.addN(sorted, 0, sorted.length);
            cells.orBitmap0(cell, bitmap);
            final int day = dayCells.get(cell);
            if (day >= 0)
            {
                cells.orBitmap0(day, bitmap);
            }
        }
    }

    /** One visit in the cell of its hour (and of the day): its count now, its visitor gathered for later. */
    private static void count(final Cells cells, final Int2ObjectHashMap<IntArrayList> visitors, final Int2IntHashMap dayCells,
        final CellKind kind, final int hour, final int key2, final int key3, final int visitor, final boolean wholeDay)
    {
        final int cell = cells.cell(kind, hour, 0, key2, key3);
        cells.add0(cell, 1);
        IntArrayList ordinals = visitors.get(cell);
        if (ordinals == null)
        {
            ordinals = new IntArrayList();
            visitors.put(cell, ordinals);
            if (wholeDay)
            {
                dayCells.put(cell, cells.cell(kind, CellKind.DAY, 0, key2, key3));
            }
        }
        ordinals.addInt(visitor);
        if (wholeDay)
        {
            cells.add0(dayCells.get(cell), 1);
        }
    }
}
