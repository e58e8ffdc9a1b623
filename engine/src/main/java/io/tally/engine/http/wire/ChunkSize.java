package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;

/**
 * A chunk's size line: {@code 1*HEXDIG [ BWS ";" extensions ]} (RFC 9112, 7.1). Extensions are ignored but may
 * hold no control character; a size past {@link Integer#MAX_VALUE} is refused (no body that large is taken).
 */
final class ChunkSize
{
    private ChunkSize()
    {
    }

    /** The size the line declares; -1 when the line is not a chunk size. */
    static int parse(final ByteBuf line, final int from, final int to)
    {
        int i = from;
        long size = 0;
        while (i < to && digit(line.getByte(i)) >= 0)
        {
            size = size << 4 | digit(line.getByte(i));
            i++;
            if (size > Integer.MAX_VALUE)
            {
                return -1;
            }
        }
        if (i == from || !extensions(line, i, to))
        {
            return -1;
        }
        return (int)size;
    }

    private static boolean extensions(final ByteBuf line, final int from, final int to)
    {
        int i = from;
        while (i < to && HttpChars.isSpace(line.getByte(i)))
        {
            i++;
        }
        if (i == to)
        {
            return true;
        }
        if (line.getByte(i) != ';')
        {
            return false;
        }
        for (i++; i < to; i++)
        {
            if (!HttpChars.isFieldValue(line.getByte(i)))
            {
                return false;
            }
        }
        return true;
    }

    private static int digit(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        final int lower = HttpChars.lower(b);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }
}
