package io.tally.notify;

import io.tally.store.Journal;

import java.util.concurrent.atomic.AtomicLongArray;

/** Notification deliveries by channel (webhook, email): sent, failed attempts, dropped after the last attempt. */
public final class NotificationCounters
{
    private final AtomicLongArray sent = new AtomicLongArray(NotificationAgent.CHANNELS.length);
    private final AtomicLongArray failed = new AtomicLongArray(NotificationAgent.CHANNELS.length);
    private final AtomicLongArray dropped = new AtomicLongArray(NotificationAgent.CHANNELS.length);
    private volatile int pending;
    /** Written by the agent's thread only. */
    private volatile long recordsRead;
    /** Written by the agent's thread only: its read position (-1 before the first record). */
    private volatile long position = -1;
    private volatile boolean positionInclusive;

    void sent(final int channel)
    {
        sent.incrementAndGet(channel);
    }

    void failed(final int channel)
    {
        failed.incrementAndGet(channel);
    }

    void dropped(final int channel)
    {
        dropped.incrementAndGet(channel);
    }

    void read(final int records)
    {
        if (records > 0)
        {
            recordsRead += records;
        }
    }

    /** Journal records the notifier has read: none while no goal has anyone to tell. */
    public long recordsRead()
    {
        return recordsRead;
    }

    /** Where the agent's reader is: after {@code index}, or at it when {@code inclusive}. Written by the agent only. */
    void positioned(final long index, final boolean inclusive)
    {
        if (index != position || inclusive != positionInclusive)
        {
            positionInclusive = inclusive;
            position = index;
        }
    }

    /**
     * Journal records the notifier has not read yet: its backlog, read against the journal's end. A reading for
     * the reports: the two fields are written apart, so it may be one record off while the agent moves.
     */
    public long behind(final Journal journal)
    {
        final long at = position;
        return journal.countAfter(at) + (positionInclusive && at >= 0 ? 1 : 0);
    }

    void pending(final int deliveries)
    {
        pending = deliveries;
    }

    /** Channel names, in the order the other methods index them. */
    public static String channel(final int channel)
    {
        return NotificationAgent.CHANNELS[channel];
    }

    public static int channels()
    {
        return NotificationAgent.CHANNELS.length;
    }

    public long sent(final String channel)
    {
        return sent.get(indexOf(channel));
    }

    public long failed(final String channel)
    {
        return failed.get(indexOf(channel));
    }

    public long dropped(final String channel)
    {
        return dropped.get(indexOf(channel));
    }

    /** Deliveries in flight or waiting for a retry. */
    public int pending()
    {
        return pending;
    }

    private static int indexOf(final String channel)
    {
        return "email".equals(channel) ? NotificationAgent.EMAIL : NotificationAgent.WEBHOOK;
    }
}
