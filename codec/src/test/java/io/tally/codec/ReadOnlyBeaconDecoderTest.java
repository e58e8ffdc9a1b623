package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/** The decode suite over a read-only view: decoding never writes to the body. */
class ReadOnlyBeaconDecoderTest extends AbstractBeaconDecoderTest
{
    @Override
    protected ByteBuf newBody(final byte[] body)
    {
        return PooledByteBufAllocator.DEFAULT.heapBuffer(body.length).writeBytes(body).asReadOnly();
    }
}
