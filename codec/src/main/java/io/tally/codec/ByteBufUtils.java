package io.tally.codec;

import io.netty.buffer.ByteBuf;

/** Small byte-range helpers over {@link ByteBuf} that allocate nothing. */
public final class ByteBufUtils
{
    private ByteBufUtils()
    {
    }

    public static boolean equals(final ByteBuf a, final int aOffset, final ByteBuf b, final int bOffset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    public static byte toLowerAscii(final byte b)
    {
        return b >= 'A' && b <= 'Z' ? (byte)(b + 32) : b;
    }

    /** Index of {@code value} in {@code [from, to)}, or -1. */
    public static int indexOf(final ByteBuf buffer, final int from, final int to, final byte value)
    {
        for (int i = from; i < to; i++)
        {
            if (buffer.getByte(i) == value)
            {
                return i;
            }
        }
        return -1;
    }
}
