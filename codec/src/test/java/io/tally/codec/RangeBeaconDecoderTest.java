package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * The decode suite over a range of a larger buffer, as an NDJSON batch's lines are decoded in place: the
 * bytes around the range (half a JSON object each side) must never be read, whatever the buffer's indices say.
 */
class RangeBeaconDecoderTest extends AbstractBeaconDecoderTest
{
    private static final byte[] BEFORE = "{\"t\":\"p\",\"u\":\"https://other.example/\"}\n{\"n\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AFTER = "\n,\"u\":\"x\"}\"}]".getBytes(StandardCharsets.UTF_8);

    @Override
    protected ByteBuf newBody(final byte[] body)
    {
        final ByteBuf whole = Unpooled.buffer(BEFORE.length + body.length + AFTER.length);
        whole.writeBytes(BEFORE).writeBytes(body).writeBytes(AFTER);
        return whole.slice(BEFORE.length, body.length);
    }

    @Override
    protected ByteBuf decodedBuffer(final ByteBuf body)
    {
        return body.unwrap();
    }

    @Override
    protected Outcome decodeBody(final ByteBuf body)
    {
        return decoder.decode(body.unwrap(), BEFORE.length, BEFORE.length + body.readableBytes(), beacon, false);
    }
}
