package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A gathering route's body, kept where it arrived: a body read in one piece (the usual beacon) is a range of the
 * very buffer Netty read it into, retained, with no slice made; one in pieces is gathered in a composite buffer
 * without copying. One per connection, emptied when the route has taken it.
 */
public final class GatheredBody
{
    private ByteBuf buffer;
    private int from;
    private int to;

    /** Adds {@code [from, to)} of {@code piece} (whose indexes are not moved). */
    void add(final ByteBufAllocator alloc, final ByteBuf piece, final int from, final int to)
    {
        if (buffer == null)
        {
            buffer = piece.retain();
            this.from = from;
            this.to = to;
            return;
        }
        if (!(buffer instanceof CompositeByteBuf))
        {
            final CompositeByteBuf composite = alloc.compositeBuffer(64);
            composite.addComponent(true, buffer.retainedSlice(this.from, this.to - this.from));
            buffer.release();
            buffer = composite;
        }
        ((CompositeByteBuf)buffer).addComponent(true, piece.retainedSlice(from, to - from));
        this.from = buffer.readerIndex();
        this.to = buffer.writerIndex();
    }

    /** The buffer that holds the body at {@link #from()} to {@link #to()}; empty when there was none. */
    public ByteBuf buffer()
    {
        return buffer == null ? Unpooled.EMPTY_BUFFER : buffer;
    }

    public int from()
    {
        return buffer == null ? 0 : from;
    }

    public int to()
    {
        return buffer == null ? 0 : to;
    }

    /** The body as a buffer of its own, which the caller releases; this is emptied. For the cold routes. */
    public ByteBuf take()
    {
        if (buffer == null)
        {
            return Unpooled.EMPTY_BUFFER;
        }
        final ByteBuf taken = buffer.retainedSlice(from, to - from);
        release();
        return taken;
    }

    /** Lets go of the body (a route calls it once it has read the body in place). */
    public void release()
    {
        if (buffer != null)
        {
            buffer.release();
            buffer = null;
        }
    }
}
