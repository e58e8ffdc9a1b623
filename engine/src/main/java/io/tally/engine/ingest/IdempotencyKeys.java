package io.tally.engine.ingest;

import io.tally.engine.limit.ExpiringLongTable;

import java.util.concurrent.atomic.LongAdder;

/**
 * The idempotency keys of trusted events journaled in the last {@link #RETENTION_MILLIS}, per site: a repeated
 * key is acknowledged but not stored again. Keys are 128-bit SipHashes of site and key (no realistic chance of
 * two keys colliding), held in striped {@link ExpiringLongTable}s bounded by {@code maxKeys}; at start the
 * engine replays the retention window of the journal into it, so repeats are caught across restarts.
 * Past the bound, a new key is stored and not remembered (counted in {@link #untrackedCount()}).
 */
public final class IdempotencyKeys
{
    public static final long RETENTION_MILLIS = 7L * 24 * 3600 * 1000;
    private static final int STRIPES = 64;

    private final ExpiringLongTable[] stripes = new ExpiringLongTable[STRIPES];
    private final LongAdder untracked = new LongAdder();

    public IdempotencyKeys(final int maxKeys)
    {
        final int perStripe = Math.max(1, (maxKeys + STRIPES - 1) / STRIPES);
        for (int i = 0; i < STRIPES; i++)
        {
            stripes[i] = new ExpiringLongTable(perStripe);
        }
    }

    /**
     * Claims a key journaled at {@code receivedAt}.
     *
     * @return false when the key was already claimed within the retention: a duplicate.
     */
    public boolean claim(final long keyHigh, final long keyLow, final long receivedAt)
    {
        final ExpiringLongTable stripe = stripes[(int)(keyHigh >>> 58)];
        synchronized (stripe)
        {
            final int slot = stripe.find(keyHigh, keyLow);
            if (slot >= 0 && stripe.value1(slot) > receivedAt)
            {
                return false;
            }
            if (slot >= 0)
            {
                stripe.set(slot, receivedAt + RETENTION_MILLIS, 0);
            }
            else if (stripe.insert(keyHigh, keyLow, receivedAt + RETENTION_MILLIS, 0, receivedAt) < 0)
            {
                untracked.increment();
            }
            return true;
        }
    }

    /** Gives a claim back when its event could not be journaled. */
    public void release(final long keyHigh, final long keyLow)
    {
        final ExpiringLongTable stripe = stripes[(int)(keyHigh >>> 58)];
        synchronized (stripe)
        {
            final int slot = stripe.find(keyHigh, keyLow);
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
}
