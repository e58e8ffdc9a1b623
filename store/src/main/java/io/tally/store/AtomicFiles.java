package io.tally.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Replacing a state file so that a crash leaves the old contents or the new, never a mix. */
public final class AtomicFiles
{
    /** Writes a file's new contents to the stream it is given. */
    public interface Contents
    {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles()
    {
    }

    public static void write(final Path file, final byte[] contents)
    {
        write(file, out -> out.write(contents));
    }

    /**
     * Streams the contents into a temporary file beside {@code file}, forces it to disk, then renames it over
     * {@code file}: a large state is never held in memory whole.
     */
    public static void write(final Path file, final Contents contents)
    {
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            contents.writeTo(out);
            out.flush();
            channel.force(true);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + temporary, ex);
        }
        try
        {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot replace " + file, ex);
        }
    }
}
