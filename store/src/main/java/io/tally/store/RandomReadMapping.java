package io.tally.store;

import net.openhft.chronicle.core.OS;
import net.openhft.chronicle.core.UnsafeMemory;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;

/**
 * A read-only mapping of a window of one file, advised {@code MADV_RANDOM}, through which {@link JournalPretoucher}
 * reads a byte of each page ahead of the appenders. The advice is the point: a read fault on a page the file does not
 * hold yet then brings in that one page, where a normal mapping has the kernel read ahead the device's whole window
 * (8 MB on some machines) around it. For a file that is mostly holes, as the journal's day file is ahead of its write
 * position, that read-ahead is megabytes of zeroing done at once inside one fault, which no other thread of the CPU
 * can interrupt on a kernel built without preemption (the tail this class exists to remove; see docs/operations.md).
 * <p>
 * One thread uses a mapping; it never writes through it, so it can neither change the journal nor need a block of
 * the disk. A page is only read below the file's size as measured by the caller: past the end of a file a mapped read
 * is a SIGBUS, which the JVM reports as an {@code InternalError}.
 */
final class RandomReadMapping implements AutoCloseable
{
    static final long PAGE = 4096;

    private final FileChannel channel;
    private final long windowBytes;
    private long start = -1;
    private long size;
    private long address;
    /** What the reads add up to: stored so that the JIT cannot drop them. */
    private long sink;

    /**
     * @param windowBytes how much of the file one mapping covers (a multiple of {@link #PAGE}); touching outside it
     *                    maps the window around the new position.
     */
    RandomReadMapping(final FileChannel channel, final long windowBytes)
    {
        this.channel = channel;
        this.windowBytes = windowBytes;
    }

    /** Whether this platform's POSIX calls are native (OpenHFT falls back to ones that do nothing). */
    static boolean canAdvise()
    {
        return !PosixAPI.posix().getClass().getSimpleName().startsWith("NoOp");
    }

    /** The file's size now: the caller's bound for {@link #touch(long, long)}. */
    long fileSize()
    {
        try
        {
            return channel.size();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Reads one byte of the page at {@code position}, which brings that page (only) into the page cache.
     *
     * @param fileSize the file's size, at least {@code position + PAGE}: the window mapped never reaches past it.
     */
    void touch(final long position, final long fileSize)
    {
        if (address == 0 || position < start || position + PAGE > start + size)
        {
            mapAround(position, fileSize);
        }
        sink += UnsafeMemory.MEMORY.readByte(address + (position - start));
    }

    private void mapAround(final long position, final long fileSize)
    {
        unmap();
        final long windowStart = position - position % windowBytes;
        final long windowSize = Math.min(windowBytes, (fileSize - windowStart) & -PAGE);
        try
        {
            address = OS.map(channel, FileChannel.MapMode.READ_ONLY, windowStart, windowSize);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        start = windowStart;
        size = windowSize;
        final int result = PosixAPI.posix().madvise(address, windowSize, MAdviseFlag.MADV_RANDOM);
        if (result != 0)
        {
            unmap();
            throw new IllegalStateException("madvise(MADV_RANDOM) failed: " + PosixAPI.posix().lastErrorStr());
        }
    }

    private void unmap()
    {
        if (address != 0)
        {
            final long mapped = address;
            address = 0;
            try
            {
                OS.unmap(mapped, size);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** What the reads have added up to (a test reads it back to check each read's offset). */
    long sink()
    {
        return sink;
    }

    @Override
    public void close()
    {
        try
        {
            unmap();
        }
        finally
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // a read-only channel: nothing of the journal depends on its closing
            }
        }
    }
}
