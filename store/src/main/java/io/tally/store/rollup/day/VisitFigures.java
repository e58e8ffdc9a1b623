package io.tally.store.rollup.day;

/**
 * The visit figures of a day's sessions ({@link SessionRows}), by the hour of each visit's first event: visits,
 * bounces (a visit of one event, engagement aside), duration (its last event's time less its first's), pageviews,
 * and exits by page with their visitors. A visit is counted where it starts, as Plausible counts it on its start
 * day; a session that runs past an hour (or a site's midnight) stays in the hour it started.
 */
public final class VisitFigures
{
    private static final long MILLIS_PER_HOUR = 3_600_000L;

    private VisitFigures()
    {
    }

    /** The UTC hour of the day (0-23) a visit starting at {@code first} counts in. */
    public static int hourOf(final long first)
    {
        return (int)Math.floorMod(Math.floorDiv(first, MILLIS_PER_HOUR), (long)CellKind.HOURS);
    }

    /**
     * Adds the visits of {@code rows} to {@code cells} as {@link CellKind#VISIT} and {@link CellKind#EXIT_PAGE} cells
     * of their hours, and with {@code wholeDay} of the whole day ({@link CellKind#DAY}) too.
     */
    public static void addTo(final Cells cells, final SessionRows rows, final boolean wholeDay)
    {
        for (int row = 0; row < rows.rows(); row++)
        {
            if (rows.events(row) == 0)
            {
                continue;
            }
            add(cells, rows, row, hourOf(rows.first(row)));
            if (wholeDay)
            {
                add(cells, rows, row, CellKind.DAY);
            }
        }
    }

    private static void add(final Cells cells, final SessionRows rows, final int row, final int hour)
    {
        final int visits = cells.cell(CellKind.VISIT, hour, 0, 0, 0);
        cells.add0(visits, 1);
        cells.add1(visits, rows.events(row) == 1 ? 1 : 0);
        cells.add2(visits, rows.last(row) - rows.first(row));
        cells.add0(cells.cell(CellKind.VISIT, hour, 1, 0, 0), rows.pageviews(row));
        final int exit = cells.cell(CellKind.EXIT_PAGE, hour, 0, 0, rows.exitPage(row));
        cells.add0(exit, 1);
        cells.addBitmap0(exit, rows.visitor(row));
    }
}
