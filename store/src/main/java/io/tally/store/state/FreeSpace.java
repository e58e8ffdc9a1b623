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
 * volatile read for the request path. Should something else fill the disk between two readings and an append
 * fault, {@link #markFault()} keeps appends stopped until the free space is back above the reserve with
 * {@link #FAULT_CLEARANCE} to spare, so the engine does not fault again and again on a disk at the edge.
 */
public final class FreeSpace
{
    private final FileStore store;
    private final Path directory;
    private final long reserveBytes;
    private volatile long freeBytes = Long.MAX_VALUE;
    private volatile boolean low;
    private volatile boolean faulted;

    /** Free space above the reserve needed after a fault before appends start again. */
    public static final long FAULT_CLEARANCE = 8L << 20;

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
    public synchronized long refresh()
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
        if (faulted && free >= reserveBytes + FAULT_CLEARANCE)
        {
            faulted = false;
        }
        low = faulted || free < reserveBytes;
        return free;
    }

    /** An append faulted for want of space: appends wait until the space is back with room to spare. */
    public synchronized void markFault()
    {
        faulted = true;
        low = true;
    }

    /** Whether the free space was below the reserve at the last refresh, or an append faulted: appends wait. */
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

    /** The free space appends wait for: the reserve, and after a fault the clearance on top. */
    public long requiredBytes()
    {
        return faulted ? reserveBytes + FAULT_CLEARANCE : reserveBytes;
    }

    public Path directory()
    {
        return directory;
    }
}
