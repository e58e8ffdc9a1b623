package io.tally.store;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.core.io.ReferenceOwner;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Touches the journal's pages ahead of the appenders, from a thread of its own, so the page faults of a memory-mapped
 * file (a page new to the file: the file system finds it a block and may wait for its own journal) are taken here
 * and not on an event loop in the middle of a request. Each page from the day file's write position to
 * {@link #AHEAD} bytes past it is written once through the same mapping the appenders write through (a
 * compare-and-swap of 0 for 0, so a word an appender wrote meanwhile is left as it is); an appender then finds the
 * page mapped and writable. A page the file system cannot give (disk full) fails here first: that is logged by the
 * caller's counters and retried later, and the appender meets the same error as it would have without this.
 */
public final class JournalPretoucher implements AutoCloseable
{
    static final long PAGE = 4096;
    /** How far ahead of the write position pages are kept touched: about a tenth of a second at 100 MB/s of records. */
    static final long AHEAD = 8L << 20;
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long BACK_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SingleChronicleQueue queue;
    private final ReferenceOwner owner = ReferenceOwner.temporary("journal-pretoucher");
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long pagesTouched;
    private volatile long failures;
    private int cycle = Integer.MIN_VALUE;
    private SingleChronicleQueueStore store;
    private MappedBytes bytes;
    private MappedBytesStore chunk;
    private long touchedUpTo;

    JournalPretoucher(final SingleChronicleQueue queue)
    {
        this.queue = queue;
        this.thread = new Thread(this::run, "tally-journal-pretouch");
        thread.setDaemon(true);
    }

    JournalPretoucher start()
    {
        thread.start();
        return this;
    }

    /** Pages touched ahead of the appenders since start. */
    public long pagesTouched()
    {
        return pagesTouched;
    }

    /** Rounds that failed (a page the file system could not give, the file gone): retried a second later. */
    public long failures()
    {
        return failures;
    }

    private void run()
    {
        while (running)
        {
            try
            {
                touchAhead();
                LockSupport.parkNanos(PAUSE_NANOS);
            }
            catch (final RuntimeException | InternalError | AssertionError ex)
            {
                failures++;
                releaseStore();
                LockSupport.parkNanos(BACK_OFF_NANOS);
            }
        }
        releaseStore();
    }

    /** One round: touches the pages of today's file from where the last round stopped to {@link #AHEAD} past the write position. */
    int touchAhead()
    {
        if (!openToday())
        {
            return 0;
        }
        final long write = store.writePosition();
        final long from = Math.max(touchedUpTo, (write & -PAGE) + PAGE);
        final long to = Math.min(write + AHEAD, bytes.mappedFile().capacity()) & -PAGE;
        int touched = 0;
        for (long page = from; page < to && running; page += PAGE)
        {
            touch(page);
            touched++;
        }
        touchedUpTo = Math.max(touchedUpTo, to);
        pagesTouched += touched;
        return touched;
    }

    /** The store of today's day file, once an appender has made it; false until then. */
    private boolean openToday()
    {
        final int today = queue.cycle();
        if (today == cycle && store != null)
        {
            return true;
        }
        releaseStore();
        store = queue.storeForCycle(today, queue.epoch(), false, null);
        if (store == null)
        {
            return false;
        }
        bytes = store.bytes();
        cycle = today;
        touchedUpTo = 0;
        return true;
    }

    private void touch(final long position)
    {
        if (chunk == null || position < chunk.start() || position + Long.BYTES > chunk.safeLimit())
        {
            releaseChunk();
            try
            {
                chunk = bytes.mappedFile().acquireByteStore(owner, position);
                chunk.singleThreadedCheckDisabled(true); // its owner is this thread; the appenders write through it too
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }
        chunk.compareAndSwapLong(position, 0L, 0L);
    }

    private void releaseChunk()
    {
        if (chunk != null)
        {
            chunk.release(owner);
            chunk = null;
        }
    }

    private void releaseStore()
    {
        releaseChunk();
        if (bytes != null)
        {
            bytes.releaseLast();
            bytes = null;
        }
        if (store != null)
        {
            queue.closeStore(store);
            store = null;
        }
        cycle = Integer.MIN_VALUE;
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
