package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** The decode suite over a plain array-backed heap buffer, the simplest kind a body comes in. */
class BeaconDecoderTest extends AbstractBeaconDecoderTest
{
    @Override
    protected ByteBuf newBody(final byte[] body)
    {
        return Unpooled.wrappedBuffer(body);
    }
}
