package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Netty's response encoder, except that a bare {@link ByteBuf} goes out as it is: the handler writes one only as
 * a whole answer already in wire form ({@link AcceptedAnswer}), never as part of a streamed response (Tally
 * streams none). Netty's encoder refuses a bare buffer between messages.
 */
final class ResponseEncoder extends HttpResponseEncoder
{
    @Override
    public boolean acceptOutboundMessage(final Object msg) throws Exception
    {
        return !(msg instanceof ByteBuf) && super.acceptOutboundMessage(msg);
    }
}
