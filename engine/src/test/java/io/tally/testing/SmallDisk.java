package io.tally.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system for tests that fill the disk: a tmpfs of a few megabytes mounted on a temporary
 * directory, grown again with a remount. Mounting needs root (CI runs as root); without it the test fails and
 * says so rather than pretending to test.
 */
public final class SmallDisk implements AutoCloseable
{
    private final Path mountPoint;

    private SmallDisk(final Path mountPoint)
    {
        this.mountPoint = mountPoint;
    }

    public static SmallDisk mount(final Path mountPoint, final int megabytes) throws IOException
    {
        Files.createDirectories(mountPoint);
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs", mountPoint.toString());
        return new SmallDisk(mountPoint);
    }

    public Path path()
    {
        return mountPoint;
    }

    /** Gives the file system a new size (space comes back, or goes). */
    public void resize(final int megabytes) throws IOException
    {
        run("mount", "-o", "remount,size=" + megabytes + "m", mountPoint.toString());
    }

    @Override
    public void close() throws IOException
    {
        run("umount", "-l", mountPoint.toString());
    }

    private static void run(final String... command) throws IOException
    {
        final Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IOException(String.join(" ", command) + " failed (this test mounts a tmpfs and needs root): " +
                    new String(process.getInputStream().readAllBytes()));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }
}
