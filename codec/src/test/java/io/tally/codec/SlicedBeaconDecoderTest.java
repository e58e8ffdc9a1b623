package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * The decode suite over a slice of a larger pooled buffer whose reader index is not zero, with JSON-looking
 * bytes before the reader index and after the writer index: the decoder must read only the readable bytes
 * and report offsets relative to the reader index.
 */
class SlicedBeaconDecoderTest extends AbstractBeaconDecoderTest
{
    private static final byte[] BEFORE = "{\"t\":\"e\",\"n\":\"\\".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AFTER = "\"}],\"zz\":1}\u0000".getBytes(StandardCharsets.US_ASCII);
    private static final int SLICE_START = 3;

    @Override
    protected ByteBuf newBody(final byte[] body)
    {
        final ByteBuf parent = PooledByteBufAllocator.DEFAULT.directBuffer(BEFORE.length + body.length + AFTER.length);
        parent.writeBytes(BEFORE).writeBytes(body).writeBytes(AFTER);
        final ByteBuf slice = parent.slice(SLICE_START, parent.writerIndex() - SLICE_START);
        final int readerIndex = BEFORE.length - SLICE_START;
        slice.setIndex(readerIndex, readerIndex + body.length);
        return slice;
    }
}
