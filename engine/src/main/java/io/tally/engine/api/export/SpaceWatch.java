package io.tally.engine.api.export;

import io.tally.store.state.FreeSpace;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the data directory's free space while one export is written, and stops the write once the free space is
 * below the engine's reserve (the journal's disk is the scratch file's). A daemon thread of its own, started for the
 * export and ended with it: exports are written one at a time, so there is at most one watch, and the API thread that
 * writes is blocked in the store's writer and cannot look itself. A check is a {@code statfs} every
 * {@link #CHECK_MILLIS}: the write goes at most one check's worth of writing into the reserve, which is there for
 * such margins, and the scratch file is deleted at once after.
 */
final class SpaceWatch implements AutoCloseable
{
    static final long CHECK_MILLIS = 20;

    private final FreeSpace freeSpace;
    private final ExportStop stop;
    private final Thread thread;
    private volatile boolean closed;

    private SpaceWatch(final FreeSpace freeSpace, final ExportStop stop)
    {
        this.freeSpace = freeSpace;
        this.stop = stop;
        this.thread = new Thread(this::watch, "export-space-watch");
        thread.setDaemon(true);
    }

    /** Starts watching for the write {@code stop} stops. */
    static SpaceWatch start(final FreeSpace freeSpace, final ExportStop stop)
    {
        final SpaceWatch watch = new SpaceWatch(freeSpace, stop);
        watch.thread.start();
        return watch;
    }

    private void watch()
    {
        while (!closed)
        {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS));
            if (!closed && (stop.requested() || !freeSpace.allows(0)))
            {
                stop.stop(); // again at each check until the write ends: an early stop may not have reached it
            }
        }
    }

    /** Ends the watch (the write has ended) and waits for its thread. */
    @Override
    public void close()
    {
        closed = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
