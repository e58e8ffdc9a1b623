package io.tally.engine.limit;

import io.tally.engine.identity.IpAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * The addresses refused most often by a rate limiter, kept in a fixed number of slots with the Space-Saving
 * algorithm (Metwally et al.): a new address takes the slot of the least counted one and inherits its count
 * as a possible overestimate ({@code error}). Any address refused more than {@code total / capacity} times is
 * certain to be listed. Memory is constant; recording is a scan of the slots under a lock, on the refusal
 * path only, and allocates nothing.
 */
public final class TopLimited
{
    static final int DEFAULT_CAPACITY = 32;

    private final long[] highs;
    private final long[] lows;
    private final long[] counts;
    private final long[] errors;
    private int used;

    /** One listed address: refusals counted, of which at most {@code error} may belong to addresses it replaced. */
    public record Entry(IpAddress address, long count, long error)
    {
    }

    TopLimited(final int capacity)
    {
        highs = new long[capacity];
        lows = new long[capacity];
        counts = new long[capacity];
        errors = new long[capacity];
    }

    synchronized void record(final long high, final long low)
    {
        int minSlot = 0;
        for (int i = 0; i < used; i++)
        {
            if (highs[i] == high && lows[i] == low)
            {
                counts[i]++;
                return;
            }
            if (counts[i] < counts[minSlot])
            {
                minSlot = i;
            }
        }
        if (used < highs.length)
        {
            put(used++, high, low, 1, 0);
        }
        else
        {
            put(minSlot, high, low, counts[minSlot] + 1, counts[minSlot]);
        }
    }

    private void put(final int slot, final long high, final long low, final long count, final long error)
    {
        highs[slot] = high;
        lows[slot] = low;
        counts[slot] = count;
        errors[slot] = error;
    }

    /** The listed addresses, most refused first, at most {@code limit}. */
    synchronized List<Entry> top(final int limit)
    {
        final List<Entry> entries = new ArrayList<>(used);
        for (int i = 0; i < used; i++)
        {
            entries.add(new Entry(new IpAddress().set(highs[i], lows[i]), counts[i], errors[i]));
        }
        entries.sort((a, b) -> Long.compare(b.count(), a.count()));
        return entries.subList(0, Math.min(limit, entries.size()));
    }
}
