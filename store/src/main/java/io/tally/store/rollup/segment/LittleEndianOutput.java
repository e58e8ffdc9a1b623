package io.tally.store.rollup.segment;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/** Writes little-endian numbers to a stream, counting the position and checksumming every byte. */
final class LittleEndianOutput
{
    private final OutputStream out;
    private final CRC32C crc = new CRC32C();
    private final byte[] scratch = new byte[8];
    private long position;

    LittleEndianOutput(final OutputStream out)
    {
        this.out = out;
    }

    long position()
    {
        return position;
    }

    long checksum()
    {
        return crc.getValue();
    }

    void writeInt(final int value) throws IOException
    {
        for (int i = 0; i < 4; i++)
        {
            scratch[i] = (byte)(value >>> (8 * i));
        }
        write(scratch, 0, 4);
    }

    void writeLong(final long value) throws IOException
    {
        for (int i = 0; i < 8; i++)
        {
            scratch[i] = (byte)(value >>> (8 * i));
        }
        write(scratch, 0, 8);
    }

    void write(final byte[] bytes, final int offset, final int length) throws IOException
    {
        out.write(bytes, offset, length);
        crc.update(bytes, offset, length);
        position += length;
    }

    /** Pads with zeros to the next multiple of 8. */
    void align() throws IOException
    {
        final int padding = (int)(SegmentLayout.align(position) - position);
        if (padding > 0)
        {
            write(new byte[8], 0, padding);
        }
    }
}
