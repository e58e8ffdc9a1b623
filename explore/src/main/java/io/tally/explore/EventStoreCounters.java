package io.tally.explore;

/** What the sealer has done since start, read by the reports from other threads. */
public final class EventStoreCounters
{
    private volatile long position = -1;
    private volatile long rowsSealed;
    private volatile long rounds;
    private volatile long lastRoundNanos;

    void position(final long index)
    {
        position = index;
    }

    void sealed(final int rows, final long nanos, final long index)
    {
        rowsSealed += rows;
        rounds++;
        lastRoundNanos = nanos;
        position = index;
    }

    /** The last journal index in the files; -1 before anything is sealed. */
    public long position()
    {
        return position;
    }

    public long rowsSealed()
    {
        return rowsSealed;
    }

    public long rounds()
    {
        return rounds;
    }

    public long lastRoundNanos()
    {
        return lastRoundNanos;
    }
}
