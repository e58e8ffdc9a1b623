package io.tally.store;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ErrorHandler;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Brings the journal's next pages into memory ahead of the appenders, from a thread of its own, so that an appender
 * (an event loop in the middle of a request) finds each page it writes already in the page cache.
 * <p>
 * Why: the day file is sparse ahead of its write position, and the first touch of a page there is a page fault that
 * reads the file. Through the appenders' mapping the kernel reads ahead around the fault, and for holes that means
 * zeroing the device's whole read-ahead window at once: measured on a VM whose disk reads ahead 8 MB, 20 to 30 ms in one
 * fault every 8 MB of journal, during which nothing else ran on that CPU. This thread reads one byte of each page
 * through a mapping of its own advised {@code MADV_RANDOM} ({@link RandomReadMapping}): one page per fault, a few
 * microseconds each, and never a write, so it cannot change a record or take a block of the disk.
 * <p>
 * How far: from the write position to about a second of appends past it ({@link AppendRate}, between
 * {@link #MIN_AHEAD} and {@link #MAX_AHEAD}), in steps of {@link #PAGES_PER_STEP} pages with a pause between, so that
 * on a machine where it shares a CPU with an event loop it never holds the CPU long.
 * <p>
 * Not covered: the first appends of a new day's file, made before this thread has seen the file (it opens files, it
 * does not create them), take their own faults. Without {@code MADV_RANDOM} (no native POSIX calls on this platform)
 * the thread does not start: its reads would then read ahead themselves, on a CPU it may share with an event loop.
 */
public final class JournalPretoucher implements AutoCloseable
{
    static final long PAGE = RandomReadMapping.PAGE;
    static final long MIN_AHEAD = 256 * 1024;
    static final long MAX_AHEAD = 16L << 20;
    static final int PAGES_PER_STEP = 64;
    private static final long WINDOW = 64L << 20;
    private static final long STEP_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Nothing new to touch: the lookahead (256 KB at least) covers more than this at the appenders' usual rates. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long BACK_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SingleChronicleQueue queue;
    private final ErrorHandler errors;
    private final Thread thread;
    private final AppendRate rate = new AppendRate();
    /** Until {@link #close()}: the thread's loop condition. */
    private volatile boolean open = true;
    private volatile long pagesTouched;
    private volatile long failures;
    private int cycle = Integer.MIN_VALUE;
    private SingleChronicleQueueStore store;
    private RandomReadMapping mapping;
    private long touchedUpTo;

    /**
     * @param errors told of each failed round (the round is retried a second later; appends do not depend on it).
     */
    JournalPretoucher(final SingleChronicleQueue queue, final ErrorHandler errors)
    {
        this.queue = queue;
        this.errors = errors;
        this.thread = new Thread(this::run, "tally-journal-pretouch");
        thread.setDaemon(true);
    }

    /** Starts the thread, unless this platform cannot advise a mapping (see the class comment). */
    JournalPretoucher start()
    {
        if (RandomReadMapping.canAdvise())
        {
            thread.start();
        }
        else
        {
            errors.onError(new UnsupportedOperationException(
                "journal pretouch off: no native madvise here, so its reads would read ahead like the appenders'"));
        }
        return this;
    }

    /** Whether the thread runs: false when the platform cannot advise a mapping, or once closed. */
    boolean running()
    {
        return thread.isAlive();
    }

    /** Pages brought in ahead of the appenders since start. */
    public long pagesTouched()
    {
        return pagesTouched;
    }

    /** Rounds that failed (the file gone, a mapping refused): retried a second later; appends are not affected. */
    public long failures()
    {
        return failures;
    }

    private void run()
    {
        while (open)
        {
            try
            {
                LockSupport.parkNanos(pauseAfter(touchAhead(System.nanoTime())));
            }
            catch (final Exception | InternalError ex)
            {
                failures++;
                errors.onError(ex);
                releaseQuietly();
                LockSupport.parkNanos(BACK_OFF_NANOS);
            }
        }
        releaseQuietly();
    }

    /** How long to wait after a step that touched {@code touched} pages (-1: no file for today yet). */
    static long pauseAfter(final int touched)
    {
        if (touched < 0)
        {
            return IDLE_NANOS;
        }
        if (touched == PAGES_PER_STEP)
        {
            return STEP_PAUSE_NANOS;
        }
        return touched == 0 ? QUIET_NANOS : PAUSE_NANOS;
    }

    private void releaseQuietly()
    {
        try
        {
            releaseStore();
        }
        catch (final Exception | InternalError ex)
        {
            store = null;
            mapping = null;
            cycle = Integer.MIN_VALUE;
            errors.onError(ex);
        }
    }

    /**
     * One step: the next pages of today's file not yet touched, up to {@link #PAGES_PER_STEP}, between the write
     * position and the lookahead past it (and below the file's size).
     *
     * @return the pages touched (PAGES_PER_STEP: more may be due); -1 when there is no file for today yet.
     */
    int touchAhead(final long nowNanos)
    {
        if (!openToday())
        {
            return -1;
        }
        final long write = store.writePosition();
        final long fileSize = mapping.fileSize();
        final long from = Math.max(touchedUpTo, (write & -PAGE) + PAGE);
        final long to = Math.min(write + rate.lookahead(write, nowNanos), fileSize) & -PAGE;
        int touched = 0;
        long page = from;
        for (; page < to && touched < PAGES_PER_STEP; page += PAGE)
        {
            mapping.touch(page, fileSize);
            touched++;
        }
        touchedUpTo = Math.max(touchedUpTo, page);
        pagesTouched += touched;
        return touched;
    }

    /** Today's day file and a mapping of it, once an appender has made the file; false until then. */
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
        try
        {
            mapping = new RandomReadMapping(FileChannel.open(store.file().toPath(), StandardOpenOption.READ), WINDOW);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        cycle = today;
        touchedUpTo = 0;
        rate.reset();
        return true;
    }

    private void releaseStore()
    {
        if (mapping != null)
        {
            mapping.close();
            mapping = null;
        }
        if (store != null)
        {
            queue.closeStore(store);
            store = null;
        }
        cycle = Integer.MIN_VALUE;
    }

    /** Stops the thread (or, when it never ran, releases what a step by hand took), before the journal closes. */
    @Override
    public void close()
    {
        open = false;
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
        if (thread.isAlive())
        {
            errors.onError(new IllegalStateException("journal pretouch thread still running 5 s after close"));
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
