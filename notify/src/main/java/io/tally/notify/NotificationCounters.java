package io.tally.notify;

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
