package io.tally.store.state;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Replacing a file so that a crash leaves the old contents or the new, never a mix: the new contents go to a
 * temporary file beside it (readable and writable by its owner only), are forced to disk, renamed over the old
 * file, and the directory is forced so the rename itself survives a power loss.
 */
public final class AtomicFiles
{
    /** Writes a file's new contents to the stream it is given. */
    public interface Contents
    {
        void writeTo(OutputStream out) throws IOException;
    }

    static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private AtomicFiles()
    {
    }

    public static void write(final Path file, final byte[] contents)
    {
        write(file, out -> out.write(contents));
    }

    /** Streams the contents into the temporary file: a large state is never held in memory whole. */
    public static void write(final Path file, final Contents contents)
    {
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            Files.deleteIfExists(temporary);
            try (FileChannel channel = FileChannel.open(temporary, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), ownerOnly()))
            {
                final OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                contents.writeTo(out);
                out.flush();
                channel.force(true);
            }
        }
        catch (final IOException ex)
        {
            deleteQuietly(temporary);
            throw new UncheckedIOException("cannot write " + temporary + ": " + ex.getMessage(), ex);
        }
        try
        {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(file.toAbsolutePath().getParent());
        }
        catch (final IOException ex)
        {
            deleteQuietly(temporary);
            throw new UncheckedIOException("cannot replace " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** The attribute that makes a new file readable and writable by its owner only (none where POSIX is not). */
    static FileAttribute<?>[] ownerOnly()
    {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    /** Whether POSIX permissions apply here (they do on Linux and macOS file systems). */
    static boolean isPosix()
    {
        return POSIX;
    }

    /** Forces a directory's entries (a rename into it) to disk; a no-op where directories cannot be opened. */
    private static void forceDirectory(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            // some platforms cannot open a directory; the rename is still atomic there, only less durable
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            // nothing to do: the next write replaces it
        }
    }
}
