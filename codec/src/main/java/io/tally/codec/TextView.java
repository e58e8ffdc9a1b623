package io.tally.codec;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * A reusable view of UTF-8 text inside a {@link ByteBuf}: the request body itself when the JSON string
 * had no escapes, the decoder's scratch buffer when it had. Valid only until the buffer is released or the
 * decoder is reused; {@link #toString()} makes a copy where one must be kept.
 */
public final class TextView
{
    private ByteBuf buffer;
    private int offset;
    private int length;

    public TextView wrap(final ByteBuf buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public void reset()
    {
        buffer = null;
        offset = 0;
        length = 0;
    }

    public boolean isPresent()
    {
        return buffer != null;
    }

    public ByteBuf buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /** Length in bytes of UTF-8. */
    public int length()
    {
        return length;
    }

    public byte byteAt(final int index)
    {
        return buffer.getByte(offset + index);
    }

    public boolean contentEquals(final TextView other)
    {
        if (length != other.length)
        {
            return false;
        }
        return ByteBufUtils.equals(buffer, offset, other.buffer, other.offset, length);
    }

    public boolean equalsAscii(final byte[] ascii)
    {
        if (length != ascii.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != ascii[i])
            {
                return false;
            }
        }
        return true;
    }

    /** Copies the bytes into {@code dst} at {@code dstIndex}, using Netty's bulk copy for any buffer kind. */
    public void copyTo(final ByteBuf dst, final int dstIndex)
    {
        buffer.getBytes(offset, dst, dstIndex, length);
    }

    @Override
    public String toString()
    {
        return buffer == null ? "" : buffer.toString(offset, length, StandardCharsets.UTF_8);
    }
}
