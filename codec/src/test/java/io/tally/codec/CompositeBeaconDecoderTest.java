package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The decode suite over a composite buffer of many small pieces, direct and heap by turns, the way an
 * aggregated HTTP body arrives: every token of the suite's bodies is cut somewhere.
 */
class CompositeBeaconDecoderTest extends AbstractBeaconDecoderTest
{
    private static final int[] PIECE_SIZES = {1, 2, 3, 5, 7, 11, 4, 1, 13};

    @Override
    protected ByteBuf newBody(final byte[] body)
    {
        final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        final CompositeByteBuf composite = allocator.compositeBuffer(Integer.MAX_VALUE);
        final int scale = Math.max(1, body.length / 2000);
        int at = 0;
        for (int i = 0; at < body.length; i++)
        {
            final int length = Math.min(PIECE_SIZES[i % PIECE_SIZES.length] * scale, body.length - at);
            final ByteBuf piece = (i & 1) == 0 ? allocator.directBuffer(length) : allocator.heapBuffer(length);
            piece.writeBytes(body, at, length);
            composite.addComponent(true, piece);
            at += length;
        }
        return composite;
    }
}
