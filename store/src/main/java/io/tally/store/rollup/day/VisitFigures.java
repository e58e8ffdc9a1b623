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
        final long[][] visits = new long[4][CellKind.DAY + 1];
        for (int row = 0; row < rows.rows(); row++)
        {
            if (rows.events(row) > 0)
            {
                addVisit(visits, hourOf(rows.first(row)), rows.events(row) == 1 ? 1 : 0, rows.last(row) - rows.first(row),
                    rows.pageviews(row));
            }
        }
        addVisitCells(cells, visits, wholeDay);
        new VisitorsByCell(cells, rows).addTo(wholeDay);
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
     * Each visit's exit-page and source cells with its visitor, grouped by cell in linear time: the cells are
     * looked up in row order, then the visits taken in visitor order (a counting sort of the visits by visitor
     * ordinal) and their visitors scattered into one array by a stable counting sort over the cells' dense numbers,
     * so each cell's visitors come out ascending for one {@code addN}, with no map, no list per cell and no
     * comparison sort (sorting each cell's visitors was most of a day's sealing). Each cell gets its count and its
     * visitors, as does the whole-day cell of the same key. Two ints a visit's cell and two a visit.
     */
    private static final class VisitorsByCell
    {
        private static final int CELLS_PER_VISIT = 1 + DIMENSIONS.length;
        private static final int MEMO_BITS = 12;
        private static final int CELL_BITS = 24;
        private static final long CELL_MASK = (1L << CELL_BITS) - 1;

        private final Cells cells;
        /** Each visit's visitor, and its cells from {@code CELLS_PER_VISIT * visit} on, visits in row order. */
        private final int[] visitorOf;
        private final int[] cellOf;
        private int maxVisitor = -1;
        /** (which, hour, text) in the top 40 bits, the cell in the low 24; an empty entry's key is no visit's. */
        private final long[] memo = new long[1 << MEMO_BITS];

        VisitorsByCell(final Cells cells, final SessionRows rows)
        {
            this.cells = cells;
            java.util.Arrays.fill(memo, -1L);
            int visits = 0;
            for (int row = 0; row < rows.rows(); row++)
            {
                visits += rows.events(row) > 0 ? 1 : 0;
            }
            visitorOf = new int[visits];
            cellOf = new int[visits * CELLS_PER_VISIT];
            int visit = 0;
            for (int row = 0; row < rows.rows(); row++)
            {
                if (rows.events(row) > 0)
                {
                    add(visit++, rows, row);
                }
            }
        }

        private void add(final int visit, final SessionRows rows, final int row)
        {
            final int hour = hourOf(rows.first(row));
            final int at = visit * CELLS_PER_VISIT;
            visitorOf[visit] = rows.visitor(row);
            maxVisitor = Math.max(maxVisitor, visitorOf[visit]);
            cellOf[at] = cell(0, hour, rows.exitPage(row));
            for (int d = 0; d < DIMENSIONS.length; d++)
            {
                cellOf[at + 1 + d] = cell(1 + d, hour, rows.source(row, d));
            }
        }

        /**
         * The cell of a visit's exit page ({@code which} 0) or source ({@code which} 1 + dimension) in its hour,
         * through a small direct-mapped memo of (which, hour, text) to cell: a day's visits share few such keys,
         * and the memo's one read replaces the cell index's probe of five arrays.
         */
        private int cell(final int which, final int hour, final int text)
        {
            final long key = (text & 0xFFFF_FFFFL) << 8 | which << 5 | hour;
            final int slot = (int)((key * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - MEMO_BITS));
            final long entry = memo[slot];
            if (entry >>> CELL_BITS == key)
            {
                return (int)(entry & CELL_MASK);
            }
            final int cell = which == 0 ? cells.cell(CellKind.EXIT_PAGE, hour, 0, 0, text)
                : cells.cell(CellKind.SOURCE, hour, 0, DIMENSIONS[which - 1], text);
            if (cell <= CELL_MASK)
            {
                memo[slot] = key << CELL_BITS | cell;
            }
            return cell;
        }

        /** The visits ordered by visitor, ties in row order. */
        private int[] visitsByVisitor()
        {
            final int[] next = new int[maxVisitor + 2];
            for (final int visitor : visitorOf)
            {
                next[visitor + 1]++;
            }
            prefixSums(next);
            final int[] ordered = new int[visitorOf.length];
            for (int visit = 0; visit < visitorOf.length; visit++)
            {
                ordered[next[visitorOf[visit]]++] = visit;
            }
            return ordered;
        }

        void addTo(final boolean wholeDay)
        {
            final int cellCount = cells.count();
            final int[] start = new int[cellCount + 1];
            for (final int cell : cellOf)
            {
                start[cell + 1]++;
            }
            prefixSums(start);
            final int[] next = java.util.Arrays.copyOf(start, cellCount);
            final int[] grouped = new int[cellOf.length];
            for (final int visit : visitsByVisitor())
            {
                final int visitor = visitorOf[visit];
                for (int at = visit * CELLS_PER_VISIT; at < (visit + 1) * CELLS_PER_VISIT; at++)
                {
                    grouped[next[cellOf[at]]++] = visitor;
                }
            }
            for (int cell = 0; cell < cellCount; cell++)
            {
                final int visits = start[cell + 1] - start[cell];
                if (visits > 0)
                {
                    addCell(cell, grouped, start[cell], visits, wholeDay);
                }
            }
        }

        /** Each entry plus all before it: counts become where each key's part ends (starts, shifted by one). */
        private static void prefixSums(final int[] counts)
        {
            for (int i = 1; i < counts.length; i++)
            {
                counts[i] += counts[i - 1];
            }
        }

        private void addCell(final int cell, final int[] grouped, final int from, final int visits, final boolean wholeDay)
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
