package io.tally.engine.ingest;

import io.tally.engine.limit.ExpiringLongTable;

import java.util.concurrent.atomic.LongAdder;

/**
 * Sessions: a visitor's events less than 30 minutes apart share a session id. Keeps, per visitor, the time
 * of the last event, its session's id and whether it has converted, in striped {@link ExpiringLongTable}s (no global lock);
 * a visitor idle for 30 minutes is forgotten whenever room is needed, and the number of visitors tracked is
 * bounded. A visitor that cannot be tracked (every entry busy within 30 minutes) starts a new session per
 * event, which is counted.
 * <p>
 * Event times are the server's receive times, so they only move forward per visitor (up to clock skew
 * between threads, which is handled by never moving "last seen" backwards).
 * <p>
 * A session id is a hash of the visitor and the session's first event time, cut to 63 bits: the top bit of the
 * stored id says the session has converted. Since the id itself is kept, a restart {@link #restore}s the sessions
 * of the last 30 minutes from the journal and they go on with the same ids.
 */
public final class SessionTracker
{
    public static final long SESSION_TIMEOUT_MILLIS = 30 * 60 * 1000L;
    private static final int STRIPES = 64;
    /** Bit of the stored session id that says the session has converted (ids never have it). */
    private static final long CONVERTED = 1L << 63;

    private final ExpiringLongTable[] stripes = new ExpiringLongTable[STRIPES];
    private final LongAdder untracked = new LongAdder();

    public SessionTracker(final int maxVisitors)
    {
        final int perStripe = Math.max(1, (maxVisitors + STRIPES - 1) / STRIPES);
        for (int i = 0; i < STRIPES; i++)
        {
            stripes[i] = new ExpiringLongTable(perStripe);
        }
    }

    /** The session id for an event of {@code visitorId} at {@code epochMillis}; see {@link #track}. */
    public long sessionId(final long visitorId, final long epochMillis)
    {
        return track(visitorId, epochMillis, null);
    }

    /**
     * Finds or starts the session of an event of {@code visitorId} at {@code epochMillis}.
     *
     * @param converted when not null, element 0 is set to whether the session had converted before.
     * @return the session id.
     */
    public long track(final long visitorId, final long epochMillis, final boolean[] converted)
    {
        final ExpiringLongTable stripe = stripes[(int)(visitorId >>> 58)];
        final long state;
        synchronized (stripe)
        {
            final int slot = stripe.find(visitorId, 0);
            if (slot >= 0 && epochMillis - stripe.value1(slot) < SESSION_TIMEOUT_MILLIS)
            {
                state = stripe.value2(slot);
                stripe.set(slot, Math.max(epochMillis, stripe.value1(slot)), state);
            }
            else
            {
                state = newId(visitorId, epochMillis);
                if (slot >= 0)
                {
                    stripe.set(slot, epochMillis, state);
                }
                else if (stripe.insert(visitorId, 0, epochMillis, state, epochMillis - SESSION_TIMEOUT_MILLIS) < 0)
                {
                    untracked.increment();
                }
            }
        }
        if (converted != null)
        {
            converted[0] = (state & CONVERTED) != 0;
        }
        return state & ~CONVERTED;
    }

    /**
     * Takes back a session from the journal at start: the visitor's event at {@code epochMillis} had {@code sessionId}
     * and its session had converted or not. Records are given in journal order; a later one moves the session on.
     */
    public void restore(final long visitorId, final long sessionId, final long epochMillis, final boolean converted)
    {
        final long state = (sessionId & ~CONVERTED) | (converted ? CONVERTED : 0);
        final ExpiringLongTable stripe = stripes[(int)(visitorId >>> 58)];
        synchronized (stripe)
        {
            final int slot = stripe.find(visitorId, 0);
            if (slot >= 0)
            {
                stripe.set(slot, Math.max(epochMillis, stripe.value1(slot)), state);
            }
            else
            {
                stripe.insert(visitorId, 0, epochMillis, state, epochMillis - SESSION_TIMEOUT_MILLIS);
            }
        }
    }

    private static long newId(final long visitorId, final long startMillis)
    {
        return mix(visitorId ^ Long.rotateLeft(startMillis, 32)) & ~CONVERTED;
    }

    /**
     * Whether {@code visitorId} has a session that an event at {@code epochMillis} would continue (an event less
     * than 30 minutes after its last one); nothing is started or moved.
     */
    public boolean isLive(final long visitorId, final long epochMillis)
    {
        final ExpiringLongTable stripe = stripes[(int)(visitorId >>> 58)];
        synchronized (stripe)
        {
            final int slot = stripe.find(visitorId, 0);
            return slot >= 0 && epochMillis - stripe.value1(slot) < SESSION_TIMEOUT_MILLIS;
        }
    }

    /** Sets the has-converted flag of the visitor's current session. */
    public void markConverted(final long visitorId)
    {
        final ExpiringLongTable stripe = stripes[(int)(visitorId >>> 58)];
        synchronized (stripe)
        {
            final int slot = stripe.find(visitorId, 0);
            if (slot >= 0)
            {
                stripe.set(slot, stripe.value1(slot), stripe.value2(slot) | CONVERTED);
            }
        }
    }

    /** Events that got a session of their own because no visitor entry could be made. */
    public long untrackedCount()
    {
        return untracked.sum();
    }

    private static long mix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
