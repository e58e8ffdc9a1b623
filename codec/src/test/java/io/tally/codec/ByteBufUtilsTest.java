package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteBufUtilsTest
{
    @Test
    void indexOfFindsTheFirstInTheRangeOnlyInHeapAndDirectBuffers()
    {
        for (final ByteBuf buffer : new ByteBuf[] {Unpooled.buffer(64), Unpooled.directBuffer(64)})
        {
            for (int i = 0; i < 64; i++)
            {
                buffer.writeByte('a' + i % 7);
            }
            for (int from = 0; from <= 40; from++)
            {
                for (int to = from; to <= 64; to++)
                {
                    for (final byte value : new byte[] {'a', 'c', 'g', 'z'})
                    {
                        assertEquals(loop(buffer, from, to, value), ByteBufUtils.indexOf(buffer, from, to, value),
                            () -> (char)value + " in [" + buffer.getClass().getSimpleName() + "]");
                    }
                }
            }
            assertEquals(-1, ByteBufUtils.indexOf(buffer, 20, 10, (byte)'a'), "a reversed range finds nothing");
            buffer.release();
        }
    }

    private static int loop(final ByteBuf buffer, final int from, final int to, final byte value)
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
