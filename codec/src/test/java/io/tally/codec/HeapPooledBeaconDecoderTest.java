package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/** The decode suite over a pooled heap buffer, whose backing array is shared with other buffers. */
class HeapPooledBeaconDecoderTest extends AbstractBeaconDecoderTest
{
    @Override
    protected ByteBuf newBody(final byte[] body)
    {
        return PooledByteBufAllocator.DEFAULT.heapBuffer(body.length).writeBytes(body);
    }
}
