package io.tally.store.rollup.day;

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
        final VisitorsByCell visitors = new VisitorsByCell(rows.rows() * (1 + DIMENSIONS.length));
        final long[][] visits = new long[4][CellKind.DAY + 1];
        for (int row = 0; row < rows.rows(); row++)
        {
            if (rows.events(row) == 0)
            {
                continue;
            }
            final int hour = hourOf(rows.first(row));
            addVisit(visits, hour, rows.events(row) == 1 ? 1 : 0, rows.last(row) - rows.first(row), rows.pageviews(row));
            final int visitor = rows.visitor(row);
            visitors.add(cells.cell(CellKind.EXIT_PAGE, hour, 0, 0, rows.exitPage(row)), visitor);
            for (int d = 0; d < DIMENSIONS.length; d++)
            {
                visitors.add(cells.cell(CellKind.SOURCE, hour, 0, DIMENSIONS[d], rows.source(row, d)), visitor);
            }
        }
        addVisitCells(cells, visits, wholeDay);
        visitors.addTo(cells, wholeDay);
    }

    /** A visit's figures (visits, bounces, duration, pageviews) into its hour and the day. */
    private static void addVisit(final long[][] visits, final int hour, final long bounces, final long duration,
        final long pageviews)
    {
        addVisitAt(visits, hour, bounces, duration, pageviews);
        addVisitAt(visits, CellKind.DAY, bounces, duration, pageviews);
    }

    private static void addVisitAt(final long[][] visits, final int at, final long bounces, final long duration,
        final long pageviews)
    {
        visits[0][at]++;
        visits[1][at] += bounces;
        visits[2][at] += duration;
        visits[3][at] += pageviews;
    }

    private static void addVisitCells(final Cells cells, final long[][] visits, final boolean wholeDay)
    {
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
    }

    /**
     * The visits gathered as (hour cell, visitor) pairs and grouped by cell with two counting sorts over dense
     * numbers, the first by visitor ordinal and the second, stable, by cell: each cell's visitors come out in
     * ascending order with no comparison sort, no map and no list per cell (sorting each cell's visitors was most
     * of a day's sealing). Each cell then gets its count and, in one ordered {@code addN}, its visitors, as does
     * the whole-day cell of the same key.
     */
    private static final class VisitorsByCell
    {
        private final int[] cellOf;
        private final int[] visitorOf;
        private int pairs;
        private int maxVisitor = -1;

        VisitorsByCell(final int capacity)
        {
            cellOf = new int[capacity];
            visitorOf = new int[capacity];
        }

        void add(final int cell, final int visitor)
        {
            cellOf[pairs] = cell;
            visitorOf[pairs++] = visitor;
            maxVisitor = Math.max(maxVisitor, visitor);
        }

        void addTo(final Cells cells, final boolean wholeDay)
        {
            final int hourCells = cells.count();
            final int[] byVisitor = order(visitorOf, maxVisitor + 1);
            final int[] start = starts(cellOf, hourCells);
            final int[] next = java.util.Arrays.copyOf(start, hourCells);
            final int[] grouped = new int[pairs];
            for (int i = 0; i < pairs; i++)
            {
                final int pair = byVisitor[i];
                grouped[next[cellOf[pair]]++] = visitorOf[pair];
            }
            for (int cell = 0; cell < hourCells; cell++)
            {
                final int from = start[cell];
                final int visits = start[cell + 1] - from;
                if (visits > 0)
                {
                    addCell(cells, cell, grouped, from, visits, wholeDay);
                }
            }
        }

        /** The pairs' indices ordered by {@code keys} (each below {@code keyCount}), ties in index order. */
        private int[] order(final int[] keys, final int keyCount)
        {
            final int[] next = starts(keys, keyCount);
            final int[] order = new int[pairs];
            for (int i = 0; i < pairs; i++)
            {
                order[next[keys[i]]++] = i;
            }
            return order;
        }

        /** Where each key's pairs start in key order, and at {@code keyCount} the end of the last. */
        private int[] starts(final int[] keys, final int keyCount)
        {
            final int[] start = new int[keyCount + 1];
            for (int i = 0; i < pairs; i++)
            {
                start[keys[i] + 1]++;
            }
            for (int key = 0; key < keyCount; key++)
            {
                start[key + 1] += start[key];
            }
            return start;
        }

        private static void addCell(final Cells cells, final int cell, final int[] grouped, final int from, final int visits,
            final boolean wholeDay)
        {
            final RoaringBitmap bitmap = new RoaringBitmap();
            bitmap.addN(grouped, from, visits);
            cells.add0(cell, visits);
            cells.orBitmap0(cell, bitmap);
            if (wholeDay)
            {
                final int day = cells.cell(cells.kind(cell), CellKind.DAY, 0, cells.key2(cell), cells.key3(cell));
                cells.add0(day, visits);
                cells.orBitmap0(day, bitmap);
            }
        }
    }
}
