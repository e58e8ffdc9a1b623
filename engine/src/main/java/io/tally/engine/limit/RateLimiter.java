package io.tally.engine.limit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address (IPv4 and IPv6, as 128-bit keys), kept as one number per address in the
 * form of GCRA: the theoretical arrival time (TAT) of the next request. A request at {@code now} is allowed
 * when the bucket would not overflow, that is when {@code max(tat, now) + interval - now <= interval * burst};
 * a bucket whose TAT is in the past is full, which is the same as having no entry, so such entries are
 * dropped whenever room is needed. Memory is bounded by {@code maxAddresses}.
 * <p>
 * The table is split into stripes, each with its own lock, so no global lock sits on the request path.
 * Rate and burst can change at any time without losing buckets. When every tracked address is still busy
 * and a new one arrives, it is let through untracked and counted ({@link #untrackedCount()}): the limiter
 * fails open rather than refusing legitimate traffic during a flood of distinct addresses.
 * <p>
 * Refusals are counted, and so are the addresses refused: an address counts once per bucket, that is until its
 * entry is dropped (its bucket was full again). The most refused addresses are kept in a {@link TopLimited} per
 * stripe, so a flood of refusals takes no lock that all threads share either.
 */
public final class RateLimiter
{
    private static final int STRIPES = 64;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ExpiringLongTable[] stripes = new ExpiringLongTable[STRIPES];
    private final LongSupplier nanoClock;
    private volatile Settings settings;
    private final LongAdder untracked = new LongAdder();
    private final LongAdder limited = new LongAdder();
    private final LongAdder limitedAddresses = new LongAdder();
    /** The most refused addresses of each stripe (an address lives in one stripe, so the lists are disjoint). */
    private final TopLimited[] topLimited = new TopLimited[STRIPES];

    private static final class Settings
    {
        final double ratePerSecond;
        final int burst;
        final long intervalNanos;
        final long toleranceNanos;

        Settings(final double ratePerSecond, final int burst)
        {
            this.ratePerSecond = ratePerSecond;
            this.burst = burst;
            this.intervalNanos = ratePerSecond > 0 ? Math.max(1, (long)(NANOS_PER_SECOND / ratePerSecond)) : 0;
            this.toleranceNanos = intervalNanos * Math.max(burst, 1);
        }

        boolean enabled()
        {
            return ratePerSecond > 0 && burst > 0;
        }
    }

    /**
     * @param ratePerSecond requests per second refilled per address; 0 turns the limiter off.
     * @param burst         requests an idle address may send at once; 0 turns the limiter off.
     * @param maxAddresses  most addresses tracked at once.
     */
    public RateLimiter(final double ratePerSecond, final int burst, final int maxAddresses, final LongSupplier nanoClock)
    {
        this.nanoClock = nanoClock;
        final int perStripe = Math.max(1, (maxAddresses + STRIPES - 1) / STRIPES);
        for (int i = 0; i < STRIPES; i++)
        {
            stripes[i] = new ExpiringLongTable(perStripe);
            topLimited[i] = new TopLimited(TopLimited.DEFAULT_CAPACITY);
        }
        reconfigure(ratePerSecond, burst);
    }

    public RateLimiter(final double ratePerSecond, final int burst, final int maxAddresses)
    {
        this(ratePerSecond, burst, maxAddresses, System::nanoTime);
    }

    /** Changes rate and burst; buckets keep their state. */
    public void reconfigure(final double ratePerSecond, final int burst)
    {
        if (ratePerSecond < 0 || burst < 0 || Double.isNaN(ratePerSecond) || Double.isInfinite(ratePerSecond))
        {
            throw new IllegalArgumentException("rate and burst must be finite and >= 0: " + ratePerSecond + ", " + burst);
        }
        settings = new Settings(ratePerSecond, burst);
    }

    public double ratePerSecond()
    {
        return settings.ratePerSecond;
    }

    public int burst()
    {
        return settings.burst;
    }

    public boolean isEnabled()
    {
        return settings.enabled();
    }

    /**
     * Takes a token for the address.
     *
     * @return 0 when the request may go ahead, else how many nanoseconds until it would be allowed.
     */
    public long tryAcquire(final long addressHigh, final long addressLow)
    {
        final Settings s = settings;
        if (!s.enabled())
        {
            return 0;
        }
        final long now = nanoClock.getAsLong();
        final int index = stripeOf(addressHigh, addressLow);
        final ExpiringLongTable stripe = stripes[index];
        final long wait;
        synchronized (stripe)
        {
            final int slot = stripe.find(addressHigh, addressLow);
            final long tat = slot < 0 ? now : Math.max(stripe.value1(slot), now);
            final long newTat = tat + s.intervalNanos;
            wait = newTat - now - s.toleranceNanos;
            if (wait > 0)
            {
                countLimited(stripe, slot);
            }
            else if (slot >= 0)
            {
                stripe.set(slot, newTat, stripe.value2(slot));
            }
            else if (stripe.insert(addressHigh, addressLow, newTat, 0, now) < 0)
            {
                untracked.increment();
            }
        }
        if (wait > 0)
        {
            topLimited[index].record(addressHigh, addressLow);
            return wait;
        }
        return 0;
    }

    /** Counts a refusal; value 2 of the address's entry marks that the address was counted already. */
    private void countLimited(final ExpiringLongTable stripe, final int slot)
    {
        limited.increment();
        if (slot >= 0 && stripe.value2(slot) == 0)
        {
            stripe.set(slot, stripe.value1(slot), 1);
            limitedAddresses.increment();
        }
    }

    /** Whole seconds to put in {@code Retry-After} for a wait of {@code nanos}: rounded up, at least 1. */
    public static long retryAfterSeconds(final long nanos)
    {
        return Math.max(1, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    /** Addresses currently tracked (entries not yet dropped, some of which may already be full again). */
    public int trackedAddresses()
    {
        int total = 0;
        for (final ExpiringLongTable stripe : stripes)
        {
            synchronized (stripe)
            {
                total += stripe.size();
            }
        }
        return total;
    }

    /** Drops every bucket that is full again; returns how many addresses are left. */
    public int expireIdle()
    {
        final long now = nanoClock.getAsLong();
        int total = 0;
        for (final ExpiringLongTable stripe : stripes)
        {
            synchronized (stripe)
            {
                total += stripe.expire(now);
            }
        }
        return total;
    }

    /** Slots allocated over all stripes: what the limiter's memory is proportional to. */
    public int allocatedSlots()
    {
        int total = 0;
        for (final ExpiringLongTable stripe : stripes)
        {
            synchronized (stripe)
            {
                total += stripe.slotCount();
            }
        }
        return total;
    }

    /** Requests refused so far. */
    public long limitedCount()
    {
        return limited.sum();
    }

    /** Distinct addresses refused so far (an address counts again once its bucket was dropped as full). */
    public long limitedAddressCount()
    {
        return limitedAddresses.sum();
    }

    /** The most refused addresses, most first. */
    public List<TopLimited.Entry> topLimited(final int limit)
    {
        final List<TopLimited.Entry> all = new ArrayList<>();
        for (final TopLimited stripe : topLimited)
        {
            all.addAll(stripe.top(limit));
        }
        all.sort((a, b) -> Long.compare(b.count(), a.count()));
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** New addresses let through without a bucket because the table was full of busy ones. */
    public long untrackedCount()
    {
        return untracked.sum();
    }

    private static int stripeOf(final long addressHigh, final long addressLow)
    {
        long h = (addressHigh ^ Long.rotateLeft(addressLow, 29)) * 0xC2B2AE3D27D4EB4FL;
        return (int)(h >>> 58);
    }
}
