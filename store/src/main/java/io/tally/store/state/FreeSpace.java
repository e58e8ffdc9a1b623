package io.tally.store.state;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space of the data directory's file system against a reserve the engine keeps. The journal is
 * memory-mapped: a write into a page the file system has no block for does not fail with an error code, the
 * process takes a SIGBUS (in Java an {@code InternalError}) in the middle of the write. So the engine stops
 * appending while a reserve is still free (beacons are answered 503) and starts again once space is back.
 * <p>
 * {@link #refresh()} asks the file system (a {@code statfs}) and runs on a timer thread; {@link #isLow()} is a
 * volatile read for the request path.
 */
public final class FreeSpace
{
    private final FileStore store;
    private final Path directory;
    private final long reserveBytes;
    private volatile long freeBytes = Long.MAX_VALUE;
    private volatile boolean low;

    public FreeSpace(final Path directory, final long reserveBytes)
    {
        if (reserveBytes < 0)
        {
            throw new IllegalArgumentException("the free space reserve must be >= 0: " + reserveBytes);
        }
        this.directory = directory;
        this.reserveBytes = reserveBytes;
        try
        {
            this.store = Files.getFileStore(directory);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot find the file system of " + directory + ": " + ex.getMessage(), ex);
        }
        refresh();
    }

    /** Reads the free space now and decides whether it is low. */
    public long refresh()
    {
        long free;
        try
        {
            free = store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            free = 0; // a file system that cannot say how full it is is not written to
        }
        freeBytes = free;
        low = free < reserveBytes;
        return free;
    }

    /** Whether the free space was below the reserve at the last refresh: appends wait. */
    public boolean isLow()
    {
        return low;
    }

    /** Whether writing {@code bytes} more now would still leave the reserve free (a fresh reading). */
    public boolean allows(final long bytes)
    {
        return refresh() - bytes >= reserveBytes;
    }

    public long freeBytes()
    {
        return freeBytes;
    }

    public long reserveBytes()
    {
        return reserveBytes;
    }

    public Path directory()
    {
        return directory;
    }
}
