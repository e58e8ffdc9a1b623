package io.tally.store.rollup;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** One row of an audience breakdown (a country) over a range: its visitors, pageviews and conversions, exact. */
public final class AudienceRow
{
    private long visitors;
    private long pageviews;
    private long conversions;
    private long convertingVisitors;

    void add(final CellSum sum)
    {
        pageviews += sum.count0;
        conversions += sum.count1;
        visitors += sum.cardinality0();
        convertingVisitors += sum.cardinality1();
    }

    public long visitors()
    {
        return visitors;
    }

    public long pageviews()
    {
        return pageviews;
    }

    /** Events that counted as conversions. */
    public long conversions()
    {
        return conversions;
    }

    /** Visitors with at least one conversion. */
    public long convertingVisitors()
    {
        return convertingVisitors;
    }

    /** Rows by key, most visitors first, then by key (a null key, unknown, last among equals). */
    static Map<String, AudienceRow> sorted(final Map<String, AudienceRow> rows)
    {
        final Map<String, AudienceRow> sorted = new LinkedHashMap<>();
        rows.entrySet().stream()
            .sorted(Comparator.<Map.Entry<String, AudienceRow>>comparingLong(e -> -e.getValue().visitors)
                .thenComparing(Map.Entry::getKey, Comparator.nullsLast(Comparator.naturalOrder())))
            .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
