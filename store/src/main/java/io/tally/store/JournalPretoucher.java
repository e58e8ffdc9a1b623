package io.tally.store;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.core.io.ReferenceOwner;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

/**
 * Touches the journal's pages ahead of the appenders, from a thread of its own, so the page faults of a memory-mapped
 * file (a page new to the file: the file system finds it a block and may wait for its own journal) are taken here
 * and not on an event loop in the middle of a request. Each page from the day file's write position to about a
 * second of appends past it (between {@link #MIN_AHEAD} and {@link #MAX_AHEAD}: far enough to stay ahead, near
 * enough that a touched page is written to before the kernel writes it back) is written once through the same
 * mapping the appenders write through (a compare-and-swap of 0 for 0, so a word an appender wrote meanwhile is
 * left as it is); an appender then finds the page mapped and writable.
 * <p>
 * A page the file system cannot give is a SIGBUS, which the JVM turns into an error only in compiled code: so no
 * page is touched while the disk has less than the engine's reserve plus what would be touched ({@code room}), the
 * same bound under which events are refused anyway.
 */
public final class JournalPretoucher implements AutoCloseable
{
    static final long PAGE = 4096;
    static final long MIN_AHEAD = 64 * 1024;
    static final long MAX_AHEAD = 8L << 20;
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long BACK_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SingleChronicleQueue queue;
    private final LongPredicate room;
    private final ReferenceOwner owner = ReferenceOwner.temporary("journal-pretoucher");
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long pagesTouched;
    private volatile long failures;
    private final AppendRate rate = new AppendRate();
    private int cycle = Integer.MIN_VALUE;
    private SingleChronicleQueueStore store;
    private MappedBytes bytes;
    private MappedBytesStore chunk;
    private long touchedUpTo;

    /**
     * @param room whether the disk has room for this many more bytes above the engine's reserve.
     */
    JournalPretoucher(final SingleChronicleQueue queue, final LongPredicate room)
    {
        this.queue = queue;
        this.room = room;
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

    /** Rounds that failed (the file gone, an error of the mapping): retried a second later. */
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
                LockSupport.parkNanos(touchAhead(System.nanoTime()) < 0 ? IDLE_NANOS : PAUSE_NANOS);
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

    /**
     * One round: touches the pages of today's file from where the last round stopped to the lookahead past the
     * write position.
     *
     * @return the pages touched; -1 when there is no file for today yet or the disk is short of room.
     */
    int touchAhead(final long nowNanos)
    {
        if (!openToday())
        {
            return -1;
        }
        final long write = store.writePosition();
        final long ahead = rate.lookahead(write, nowNanos);
        if (!room.test(ahead))
        {
            return -1;
        }
        final long from = Math.max(touchedUpTo, (write & -PAGE) + PAGE);
        final long to = Math.min(write + ahead, bytes.mappedFile().capacity()) & -PAGE;
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
        rate.reset();
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

    /** Stops the thread (or, when it never ran, releases what a round by hand took), before the journal closes. */
    @Override
    public void close()
    {
        running = false;
        if (!thread.isAlive())
        {
            releaseStore();
            return;
        }
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

    /** The appenders' bytes a second, smoothed, as a lookahead of about a second of appends. */
    static final class AppendRate
    {
        private long lastWrite = -1;
        private long lastNanos;
        private double bytesPerSecond;

        long lookahead(final long write, final long nowNanos)
        {
            if (lastWrite >= 0 && nowNanos > lastNanos)
            {
                final double recent = (write - lastWrite) * 1e9 / (nowNanos - lastNanos);
                bytesPerSecond += (recent - bytesPerSecond) * Math.min(1.0, (nowNanos - lastNanos) / 1e9);
            }
            lastWrite = write;
            lastNanos = nowNanos;
            return Math.max(MIN_AHEAD, Math.min(MAX_AHEAD, (long)bytesPerSecond)) & -PAGE;
        }

        void reset()
        {
            lastWrite = -1;
            bytesPerSecond = 0;
        }
    }
}
