package io.tally.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Sessions: a visitor's events less than 30 minutes apart share a session id. Keeps, per visitor, the time
 * of the last event and the start of its session, in striped {@link ExpiringLongTable}s (no global lock);
 * a visitor idle for 30 minutes is forgotten whenever room is needed, and the number of visitors tracked is
 * bounded. A visitor that cannot be tracked (every entry busy within 30 minutes) starts a new session per
 * event, which is counted.
 * <p>
 * Event times are the server's receive times, so they only move forward per visitor (up to clock skew
 * between threads, which is handled by never moving "last seen" backwards).
 */
public final class SessionTracker
{
    public static final long SESSION_TIMEOUT_MILLIS = 30 * 60 * 1000L;
    private static final int STRIPES = 64;

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

    /** The session id for an event of {@code visitorId} at {@code epochMillis}. */
    public long sessionId(final long visitorId, final long epochMillis)
    {
        final ExpiringLongTable stripe = stripes[(int)(visitorId >>> 58)];
        final long sessionStart;
        synchronized (stripe)
        {
            final int slot = stripe.find(visitorId, 0);
            if (slot >= 0 && epochMillis - stripe.value1(slot) < SESSION_TIMEOUT_MILLIS)
            {
                sessionStart = stripe.value2(slot);
                stripe.set(slot, Math.max(epochMillis, stripe.value1(slot)), sessionStart);
            }
            else
            {
                sessionStart = epochMillis;
                if (slot >= 0)
                {
                    stripe.set(slot, epochMillis, sessionStart);
                }
                else if (stripe.insert(visitorId, 0, epochMillis, sessionStart, epochMillis - SESSION_TIMEOUT_MILLIS) < 0)
                {
                    untracked.increment();
                }
            }
        }
        return mix(visitorId ^ Long.rotateLeft(sessionStart, 32));
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
