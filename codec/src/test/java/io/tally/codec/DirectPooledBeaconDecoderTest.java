package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/** The decode suite over a pooled direct buffer, the kind Netty reads a request into. */
class DirectPooledBeaconDecoderTest extends AbstractBeaconDecoderTest
{
    @Override
    protected ByteBuf newBody(final byte[] body)
    {
        return PooledByteBufAllocator.DEFAULT.directBuffer(body.length).writeBytes(body);
    }
}
