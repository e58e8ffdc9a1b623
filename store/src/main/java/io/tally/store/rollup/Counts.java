package io.tally.store.rollup;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts by text value, at most {@link RollupCaps#MAX_VALUES_PER_KEY} distinct values; later new values count
 * under {@link RollupCaps#OTHER}. For sources, pages, labels.
 */
final class Counts
{
    private final Map<String, long[]> counts = new HashMap<>();

    void add(final String value, final long n)
    {
        RollupCaps.capped(counts, value, RollupCaps.MAX_VALUES_PER_KEY, v -> new long[1])[0] += n;
    }

    void addAll(final Counts other)
    {
        other.counts.forEach((value, count) -> add(value, count[0]));
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

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(counts.size());
        for (final Map.Entry<String, long[]> entry : counts.entrySet())
        {
            out.writeUTF(entry.getKey());
            out.writeLong(entry.getValue()[0]);
        }
    }

    static Counts read(final DataInput in) throws IOException
    {
        final Counts counts = new Counts();
        for (int i = in.readInt(); i > 0; i--)
        {
            counts.counts.put(in.readUTF(), new long[] {in.readLong()});
        }
        return counts;
    }
}
