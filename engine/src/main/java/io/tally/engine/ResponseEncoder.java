package io.tally.engine;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Netty's response encoder, except that a {@link ByteBuf} written at a message boundary goes out as it is: an
 * answer already in wire form ({@link AcceptedAnswer}). Netty's encoder refuses a bare buffer there.
 */
final class ResponseEncoder extends HttpResponseEncoder
{
    @Override
    public boolean acceptOutboundMessage(final Object msg) throws Exception
    {
        return !(msg instanceof ByteBuf) && super.acceptOutboundMessage(msg);
    }
}
