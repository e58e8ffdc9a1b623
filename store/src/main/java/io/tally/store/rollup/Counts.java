package io.tally.store.rollup;

import io.tally.store.rollup.day.RollupCaps;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts by text value, at most {@link RollupCaps#MAX_VALUES_PER_KEY} distinct values; later new values count
 * under {@link RollupCaps#OTHER}. For sources, pages, labels, actions and categories over a range.
 */
final class Counts
{
    private final Map<String, long[]> counts = new HashMap<>();

    void add(final String value, final long n)
    {
        RollupCaps.capped(counts, value, RollupCaps.MAX_VALUES_PER_KEY, v -> new long[1])[0] += n;
    }

    /** Values by count, highest first. */
    Map<String, Long> sorted()
    {
        final Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
            .sorted((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0]) :
                a.getKey().compareTo(b.getKey()))
            .forEach(e -> sorted.put(e.getKey(), e.getValue()[0]));
        return sorted;
    }
}
