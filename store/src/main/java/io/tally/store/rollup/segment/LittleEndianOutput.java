package io.tally.store.rollup.segment;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes little-endian numbers to a stream through a buffer of its own, counting the position and checksumming
 * every byte a buffer at a time.
 */
final class LittleEndianOutput
{
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final OutputStream out;
    private final CRC32C crc = new CRC32C();
    private final byte[] buffer = new byte[1 << 16];
    private int used;
    private long flushed;

    LittleEndianOutput(final OutputStream out)
    {
        this.out = out;
    }

    long position()
    {
        return flushed + used;
    }

    /** The checksum of everything written so far. */
    long checksum() throws IOException
    {
        flush();
        return crc.getValue();
    }

    void writeInt(final int value) throws IOException
    {
        if (used + 4 > buffer.length)
        {
            flush();
        }
        INTS.set(buffer, used, value);
        used += 4;
    }

    void writeLong(final long value) throws IOException
    {
        if (used + 8 > buffer.length)
        {
            flush();
        }
        LONGS.set(buffer, used, value);
        used += 8;
    }

    void write(final byte[] bytes, final int offset, final int length) throws IOException
    {
        if (used + length > buffer.length)
        {
            flush();
        }
        if (length > buffer.length)
        {
            crc.update(bytes, offset, length);
            out.write(bytes, offset, length);
            flushed += length;
            return;
        }
        System.arraycopy(bytes, offset, buffer, used, length);
        used += length;
    }

    /** Pads with zeros to the next multiple of 8. */
    void align() throws IOException
    {
        final int padding = (int)(SegmentLayout.align(position()) - position());
        for (int i = 0; i < padding; i++)
        {
            if (used == buffer.length)
            {
                flush();
            }
            buffer[used++] = 0;
        }
    }

    /** Hands the buffered bytes to the stream. */
    void flush() throws IOException
    {
        if (used > 0)
        {
            crc.update(buffer, 0, used);
            out.write(buffer, 0, used);
            flushed += used;
            used = 0;
        }
    }
}
