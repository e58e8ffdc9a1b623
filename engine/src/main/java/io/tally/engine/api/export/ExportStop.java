package io.tally.engine.api.export;

/**
 * How one export's write is stopped from another thread: the writer says how ({@link #onStop}: the event store's
 * cancels its DuckDB statement), and the space watch asks for it. A write that sees {@link #requested()} ends; one
 * whose stop came before it started does not start (the action runs at once). The watch asks again at each of its
 * checks until the write has ended, so a stop that came too early for the writer to act on is not lost.
 */
public final class ExportStop
{
    private Runnable action = () -> { };
    private volatile boolean requested;

    /** {@code stopping} runs when a stop is asked (now, should one have been), and again each time it is asked. */
    public synchronized void onStop(final Runnable stopping)
    {
        this.action = stopping;
        if (requested)
        {
            stopping.run();
        }
    }

    /** Whether the write was asked to stop: the export then is not sent, whatever the write returned. */
    public boolean requested()
    {
        return requested;
    }

    synchronized void stop()
    {
        requested = true;
        action.run();
    }
}
