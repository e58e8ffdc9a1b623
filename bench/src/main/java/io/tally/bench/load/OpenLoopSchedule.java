package io.tally.bench.load;

/**
 * The send times of an open-loop run: request {@code k} is due at {@code start + k / rate}, whether or not
 * the server kept up. Due requests wait in a bounded queue until a connection is free; each keeps its
 * intended time, and its latency is measured from that time, not from when it was finally written. A stalled
 * server thus shows in the latency of every request it delayed (the coordinated-omission correction, as in
 * wrk2), not in one slow sample.
 */
final class OpenLoopSchedule
{
    private final long startNanos;
    private final double intervalNanos;
    private final long[] pending;
    private long issued;
    private long head;
    private long tail;
    private long overflowed;

    /**
     * @param maxPending due requests that may wait for a connection; more are counted as
     *                   {@link #overflowed()} and not sent.
     */
    OpenLoopSchedule(final long startNanos, final double ratePerSecond, final int maxPending)
    {
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
        this.pending = new long[maxPending];
    }

    /**
     * Queues every request due by {@code nowNanos}, up to {@code limit} requests issued in all.
     *
     * @return how many were queued now.
     */
    int advance(final long nowNanos, final long limit)
    {
        int queued = 0;
        while (issued < limit)
        {
            final long intended = startNanos + (long)(issued * intervalNanos);
            if (intended > nowNanos)
            {
                break;
            }
            issued++;
            if (tail - head == pending.length)
            {
                overflowed++;
                continue;
            }
            pending[(int)(tail++ % pending.length)] = intended;
            queued++;
        }
        return queued;
    }

    boolean hasPending()
    {
        return tail != head;
    }

    /** The intended send time of the oldest waiting request, which leaves the queue. */
    long take()
    {
        if (tail == head)
        {
            throw new IllegalStateException("no request is due");
        }
        return pending[(int)(head++ % pending.length)];
    }

    int pendingCount()
    {
        return (int)(tail - head);
    }

    /** Requests that became due, sent or not. */
    long issued()
    {
        return issued;
    }

    /** Requests that became due while the queue was full: never sent, reported as such. */
    long overflowed()
    {
        return overflowed;
    }
}
