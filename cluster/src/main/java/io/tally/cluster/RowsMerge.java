package io.tally.cluster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adds lists of rows of several workers' answers by their label (a page, a source, an event name, a country): counts
 * add, because a visitor lives in one partition and so in one worker; the merged rows are sorted again, most first by
 * one count and then by label, as one node sorts them, and only then cut to the caller's limit. An average a row
 * carries without its weight (a page's time on page, its scroll depth) stays when every worker that has the row gave
 * the same one, and is null otherwise: a mean of means would look exact and is not.
 */
final class RowsMerge
{
    private final String label;
    private final List<String> counts;
    private final List<String> averages;
    private final String sortBy;

    /**
     * @param label    the row's key
     * @param counts   the figures that add
     * @param averages the figures that do not add and have no weight in the row
     * @param sortBy   the count rows are sorted by, most first
     */
    RowsMerge(final String label, final List<String> counts, final List<String> averages, final String sortBy)
    {
        this.label = label;
        this.counts = List.copyOf(counts);
        this.averages = List.copyOf(averages);
        this.sortBy = sortBy;
    }

    /** The rows of every part added by label, sorted, all of them. */
    List<Map<String, Object>> add(final List<?> parts)
    {
        final Map<Object, Map<String, Object>> byLabel = new LinkedHashMap<>();
        for (final Object part : parts)
        {
            if (!(part instanceof List))
            {
                continue;
            }
            for (final Object row : (List<?>)part)
            {
                final Map<String, Object> figures = StatsMerge.map(row);
                final Map<String, Object> merged = byLabel.get(figures.get(label));
                if (merged == null)
                {
                    byLabel.put(figures.get(label), new LinkedHashMap<>(figures));
                    continue;
                }
                for (final String count : counts)
                {
                    merged.put(count, StatsMerge.number(merged, count).add(StatsMerge.number(figures, count)));
                }
                for (final String average : averages)
                {
                    if (!sameNumber(merged.get(average), figures.get(average)))
                    {
                        merged.put(average, null);
                    }
                }
            }
        }
        final List<Map<String, Object>> rows = new ArrayList<>(byLabel.values());
        rows.sort(Comparator.<Map<String, Object>, BigDecimal>comparing(row -> StatsMerge.number(row, sortBy)).reversed()
            .thenComparing(row -> (String)row.get(label), Comparator.nullsLast(Comparator.naturalOrder())));
        return rows;
    }

    /** The first {@code limit} merged rows. */
    List<Object> add(final List<?> parts, final int limit)
    {
        final List<Map<String, Object>> rows = add(parts);
        return new ArrayList<>(rows.subList(0, Math.min(limit, rows.size())));
    }

    private static boolean sameNumber(final Object a, final Object b)
    {
        if (a instanceof Number && b instanceof Number)
        {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        return Objects.equals(a, b);
    }
}
