package io.tally.store.rollup;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.DayFigures;

import java.util.HashMap;
import java.util.Map;

/**
 * The browsers, operating systems and device classes of a range ({@link CellKind#AUDIENCE} cells): by name, and by
 * name and version, each with its pageviews, conversions and visitors. Within a day a name's cells (its versions, its
 * hours, a sealed day's deltas) unite their visitor bitmaps, so a visitor seen with two versions of a browser counts
 * once for the browser; the days' visitors add (ids are salted per UTC day). Exact. A cold path: queries only.
 */
public final class AudienceTotals
{
    /** The measures of one row: {@link #PAGEVIEWS}, {@link #CONVERSIONS}, {@link #VISITORS}. */
    public static final int PAGEVIEWS = 0;
    public static final int CONVERSIONS = 1;
    public static final int VISITORS = 2;

    private static final int DIMENSIONS = 3;

    @SuppressWarnings("unchecked")
    private final Map<String, long[]>[] names = new Map[DIMENSIONS];
    @SuppressWarnings("unchecked")
    private final Map<String, Map<String, long[]>>[] versions = new Map[DIMENSIONS];

    AudienceTotals()
    {
        for (int d = 0; d < DIMENSIONS; d++)
        {
            names[d] = new HashMap<>();
            versions[d] = new HashMap<>();
        }
    }

    /** Adds one day's cells (its sources: a sealed day and its deltas, or an open day) in hours [from, to). */
    void addDay(final Iterable<? extends DayFigures> sources, final int fromHour, final int toHour, final boolean whole)
    {
        final Map<String, CellSum> byName = new HashMap<>();
        final Map<String, CellSum> byVersion = new HashMap<>();
        for (final DayFigures figures : sources)
        {
            figures.cells(CellKind.AUDIENCE, whole ? CellKind.DAY : fromHour, whole ? CellKind.DAY + 1 : toHour, cell ->
            {
                final int dimension = figures.key1(cell);
                final String name = figures.string(figures.key2(cell));
                final String version = figures.string(figures.key3(cell));
                // a name's versions unite within the day: whole-day cells too are united, not taken
                byName.computeIfAbsent(dimension + "\0" + name, k -> new CellSum(null, dimension, name, null))
                    .add(figures, cell);
                final CellSum exact = byVersion.computeIfAbsent(dimension + "\0" + name + "\0" + version,
                    k -> new CellSum(null, dimension, name, version));
                if (whole)
                {
                    exact.take(figures, cell);
                }
                else
                {
                    exact.add(figures, cell);
                }
            });
        }
        byName.values().forEach(sum -> add(names[sum.number2].computeIfAbsent(sum.text2, n -> new long[3]), sum));
        byVersion.values().forEach(sum -> add(versions[sum.number2].computeIfAbsent(sum.text2, n -> new HashMap<>())
            .computeIfAbsent(sum.text3, v -> new long[3]), sum));
    }

    private static void add(final long[] row, final CellSum sum)
    {
        row[PAGEVIEWS] += sum.count0;
        row[CONVERSIONS] += sum.count1;
        row[VISITORS] += sum.cardinality0();
    }

    /**
     * The rows of {@code dimension} ({@link CellKind#BROWSER}, {@link CellKind#OPERATING_SYSTEM},
     * {@link CellKind#DEVICE}) by name: {@code long[]{pageviews, conversions, visitors}}.
     */
    public Map<String, long[]> byName(final int dimension)
    {
        return names[dimension];
    }

    /** The rows of {@code dimension} by name, then version ({@code ""} when none was known). */
    public Map<String, Map<String, long[]>> byVersion(final int dimension)
    {
        return versions[dimension];
    }
}
