package io.tally.engine.ingest;

import io.tally.engine.limit.ExpiringLongTable;

import java.util.concurrent.atomic.LongAdder;

/**
 * Which visitors have already converted on which goal, so a fire-once goal counts once per visitor. Visitor
 * ids live one UTC day (the salt changes at midnight), so an entry expires when its day ends; memory is
 * bounded by {@code maxEntries} in striped tables, without a global lock. At start the engine replays the
 * day's journal into it, so fire-once holds across restarts.
 * <p>
 * Past the bound (every entry belongs to today), a new conversion is counted as first and not remembered,
 * and counted in {@link #untrackedCount()}.
 */
public final class ConversionTracker
{
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final int STRIPES = 64;

    private final ExpiringLongTable[] stripes = new ExpiringLongTable[STRIPES];
    private final LongAdder untracked = new LongAdder();

    public ConversionTracker(final int maxEntries)
    {
        final int perStripe = Math.max(1, (maxEntries + STRIPES - 1) / STRIPES);
        for (int i = 0; i < STRIPES; i++)
        {
            stripes[i] = new ExpiringLongTable(perStripe);
        }
    }

    /**
     * Records a conversion of {@code visitorId} on the goal at {@code epochMillis}; the goal's key is
     * {@link io.tally.matcher.GoalMatcher#nameKey(byte[])} of its name.
     *
     * @return true when it is the visitor's first on that goal (today, since visitor ids are daily).
     */
    public boolean recordFirst(final long visitorId, final long goalKey, final long epochMillis)
    {
        final long expiry = (Math.floorDiv(epochMillis, MILLIS_PER_DAY) + 1) * MILLIS_PER_DAY;
        final ExpiringLongTable stripe = stripeOf(visitorId, goalKey);
        synchronized (stripe)
        {
            final int slot = stripe.find(visitorId, goalKey);
            if (slot >= 0 && stripe.value1(slot) > epochMillis)
            {
                return false;
            }
            if (slot >= 0)
            {
                stripe.set(slot, expiry, 0);
            }
            else if (stripe.insert(visitorId, goalKey, expiry, 0, epochMillis) < 0)
            {
                untracked.increment();
            }
            return true;
        }
    }

    /** Undoes {@link #recordFirst} for an event that could not be journaled. */
    public void forget(final long visitorId, final long goalKey)
    {
        final ExpiringLongTable stripe = stripeOf(visitorId, goalKey);
        synchronized (stripe)
        {
            final int slot = stripe.find(visitorId, goalKey);
            if (slot >= 0)
            {
                stripe.set(slot, 0, 0);
            }
        }
    }

    public long untrackedCount()
    {
        return untracked.sum();
    }

    private ExpiringLongTable stripeOf(final long visitorId, final long goalKey)
    {
        return stripes[(int)((visitorId ^ goalKey) >>> 58)];
    }
}
