package io.tally.store.state;

import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * The on-disk form of every state file Tally keeps beside its journal: the contents, then one line that seals
 * them with their length and CRC-32C, so a file cut short, emptied or with a flipped byte is told from a good one.
 * <pre>
 *   +---------------------------+----------------------------------------------+
 *   | contents (length bytes)   | \n#tally-state crc32c=xxxxxxxx length=N\n     |
 *   +---------------------------+----------------------------------------------+
 * </pre>
 * The seal is text, so a JSON state file still reads well in a terminal. Files written before seals existed
 * ("unsealed") may be accepted as they are by the caller's choice; then only their decoding can find damage.
 * Writing is atomic ({@link AtomicFiles}); a file is readable by its owner only.
 */
public final class StateFile
{
    /** Reads a state file's contents; anything it throws means the contents are damaged. */
    @FunctionalInterface
    public interface Decoder<T>
    {
        T decode(InputStream contents) throws IOException;
    }

    static final String SEAL_PREFIX = "\n#tally-state crc32c=";
    /** The seal is at most this long: its prefix, 8 hex digits, " length=", 19 digits, newline. */
    private static final int MAX_SEAL = SEAL_PREFIX.length() + 8 + 8 + 19 + 1;

    private StateFile()
    {
    }

    public static void write(final Path file, final byte[] contents)
    {
        write(file, out -> out.write(contents));
    }

    /** Streams the contents to the file and seals them. */
    public static void write(final Path file, final AtomicFiles.Contents contents)
    {
        AtomicFiles.write(file, out ->
        {
            final SealingStream sealing = new SealingStream(out);
            contents.writeTo(sealing);
            sealing.seal();
        });
    }

    /**
     * Decodes a state file. A sealed one is checked against its seal first, in a pass of its own: damaged bytes
     * never reach the decoder, where a count field gone wild could ask for gigabytes. The decoder must read the
     * contents to their end.
     *
     * @param acceptUnsealed whether a file without a seal is decoded as it is (one written by an earlier version).
     * @throws DamagedStateFileException when the file cannot be read, its seal does not match, or decoding fails.
     */
    public static <T> T read(final Path file, final boolean acceptUnsealed, final Decoder<T> decoder)
    {
        final long size = fileSize(file);
        final Seal seal = Seal.of(file, size);
        if (seal == null && !acceptUnsealed)
        {
            throw new DamagedStateFileException(file, size == 0 ? "it is empty" : "it has no seal (cut short, or not Tally's)");
        }
        if (seal != null && checksum(file, seal.contentsLength) != seal.checksum)
        {
            throw new DamagedStateFileException(file, "its checksum does not match its contents");
        }
        try (InputStream raw = Files.newInputStream(file))
        {
            final InputStream contents = new BufferedInputStream(new BoundedInputStream(raw,
                seal == null ? size : seal.contentsLength), 1 << 16);
            final T decoded = decoder.decode(contents);
            if (contents.read() != -1)
            {
                throw new DamagedStateFileException(file, "bytes are left after its contents");
            }
            return decoded;
        }
        catch (final DamagedStateFileException ex)
        {
            throw ex;
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new DamagedStateFileException(file, "its contents do not decode: " + ex, ex);
        }
    }

    private static long checksum(final Path file, final long length)
    {
        try (CheckedInputStream in = new CheckedInputStream(new BoundedInputStream(Files.newInputStream(file), length),
            new CRC32C()))
        {
            final byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0)
            {
                // the checksum sees every byte read
            }
            return in.getChecksum().getValue();
        }
        catch (final IOException ex)
        {
            throw new DamagedStateFileException(file, "cannot read it: " + ex.getMessage(), ex);
        }
    }

    /** Reads a whole small state file's contents. */
    public static byte[] readBytes(final Path file, final boolean acceptUnsealed)
    {
        return read(file, acceptUnsealed, InputStream::readAllBytes);
    }

    private static long fileSize(final Path file)
    {
        if (!Files.isRegularFile(file))
        {
            throw new DamagedStateFileException(file, "it is not a regular file");
        }
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            throw new DamagedStateFileException(file, "cannot read it: " + ex.getMessage(), ex);
        }
    }

    /** A file's seal: the length and checksum of the contents before it. */
    private static final class Seal
    {
        final long contentsLength;
        final long checksum;

        private Seal(final long contentsLength, final long checksum)
        {
            this.contentsLength = contentsLength;
            this.checksum = checksum;
        }

        /** The seal at the end of the file, or null when the file does not end in a well-formed one. */
        static Seal of(final Path file, final long size)
        {
            final int tailLength = (int)Math.min(size, MAX_SEAL);
            final byte[] tail = new byte[tailLength];
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r"))
            {
                in.seek(size - tailLength);
                in.readFully(tail);
            }
            catch (final IOException ex)
            {
                throw new DamagedStateFileException(file, "cannot read it: " + ex.getMessage(), ex);
            }
            final String text = new String(tail, StandardCharsets.ISO_8859_1);
            final int at = text.lastIndexOf(SEAL_PREFIX);
            if (at < 0 || !text.endsWith("\n"))
            {
                return null;
            }
            return parse(text.substring(at + SEAL_PREFIX.length(), text.length() - 1), size - (tailLength - at));
        }

        /** The seal's fields ("xxxxxxxx length=N"), accepted only in the exact form {@link SealingStream} writes. */
        private static Seal parse(final String fields, final long contentsLength)
        {
            final int space = fields.indexOf(' ');
            if (space != 8 || !fields.startsWith(" length=", space))
            {
                return null;
            }
            try
            {
                final long checksum = Long.parseLong(fields.substring(0, 8), 16);
                final long length = Long.parseLong(fields.substring(space + 8));
                return length == contentsLength && fields.equals(format(checksum, length)) ?
                    new Seal(contentsLength, checksum) : null;
            }
            catch (final NumberFormatException ex)
            {
                return null;
            }
        }
    }

    private static String format(final long checksum, final long length)
    {
        return String.format("%08x length=%d", checksum, length);
    }

    /** Passes the contents through, counting and checksumming them, and writes the seal after them. */
    private static final class SealingStream extends FilterOutputStream
    {
        private final CRC32C crc = new CRC32C();
        private long length;

        SealingStream(final OutputStream out)
        {
            super(out);
        }

        @Override
        public void write(final int b) throws IOException
        {
            out.write(b);
            crc.update(b);
            length++;
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int count) throws IOException
        {
            out.write(bytes, offset, count);
            crc.update(bytes, offset, count);
            length += count;
        }

        void seal() throws IOException
        {
            out.write((SEAL_PREFIX + format(crc.getValue(), length) + "\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    /** At most {@code limit} bytes of a stream: the contents without their seal. */
    private static final class BoundedInputStream extends InputStream
    {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(final InputStream in, final long limit)
        {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException
        {
            if (remaining <= 0)
            {
                return -1;
            }
            final int b = in.read();
            if (b >= 0)
            {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(final byte[] bytes, final int offset, final int count) throws IOException
        {
            if (remaining <= 0)
            {
                return -1;
            }
            final int read = in.read(bytes, offset, (int)Math.min(count, remaining));
            if (read > 0)
            {
                remaining -= read;
            }
            return read;
        }
    }
}
