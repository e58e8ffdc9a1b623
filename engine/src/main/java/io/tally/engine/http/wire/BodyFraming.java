package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;

/**
 * A request's body on the wire: {@code Content-Length} bytes, or chunks (sizes with extensions, data, CRLF, then
 * trailers up to an empty line). The body's bytes are handed on as they arrive, in place, never gathered here;
 * only the lines of the chunked framing wait for their CRLF. Trailers are checked as header lines and dropped;
 * together they may be as large as the head's headers.
 */
final class BodyFraming
{
    /** A chunk-size line may be as long as a request line. */
    private final int maxLineBytes;
    private final int maxTrailerBytes;
    private long remaining;
    private int trailerBytes;

    BodyFraming(final int maxLineBytes, final int maxTrailerBytes)
    {
        this.maxLineBytes = maxLineBytes;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /** Where a body framed as {@code head} says begins; {@link WireState#REQUEST_LINE} when there is none. */
    WireState begin(final WireHead head)
    {
        trailerBytes = 0;
        if (head.chunked)
        {
            return WireState.CHUNK_SIZE;
        }
        remaining = Math.max(head.contentLength, 0);
        return remaining > 0 ? WireState.BODY : WireState.REQUEST_LINE;
    }

    /**
     * One step in {@code state} over the readable bytes: the next state ({@link WireState#REQUEST_LINE} once the
     * body is read whole, {@link WireState#BROKEN} when its framing broke), or null when more bytes are needed.
     */
    WireState step(final WireState state, final ByteBuf buffer, final RequestListener listener)
    {
        return switch (state)
        {
            case BODY -> data(buffer, listener) ? WireState.REQUEST_LINE : WireState.BODY;
            case CHUNK_DATA -> data(buffer, listener) ? WireState.CHUNK_END : WireState.CHUNK_DATA;
            case CHUNK_SIZE -> chunkSize(buffer);
            case CHUNK_END -> chunkEnd(buffer);
            case TRAILERS -> trailer(buffer);
            default -> throw new IllegalStateException(state.name());
        };
    }

    /** Hands on what is readable of the data, up to its end; true once the data is all read. */
    private boolean data(final ByteBuf buffer, final RequestListener listener)
    {
        final int from = buffer.readerIndex();
        final int taken = (int)Math.min(remaining, buffer.readableBytes());
        buffer.skipBytes(taken);
        remaining -= taken;
        if (taken > 0)
        {
            listener.onBody(buffer, from, from + taken);
        }
        return remaining == 0;
    }

    private WireState chunkSize(final ByteBuf buffer)
    {
        final int end = Lines.end(buffer);
        if (end == Lines.INCOMPLETE)
        {
            return Lines.partialLength(buffer) > maxLineBytes ? WireState.BROKEN : null;
        }
        final int size = end < 0 || end - buffer.readerIndex() > maxLineBytes ? -1 :
            ChunkSize.parse(buffer, buffer.readerIndex(), end);
        if (size < 0)
        {
            return WireState.BROKEN;
        }
        buffer.readerIndex(end + 2);
        remaining = size;
        return size == 0 ? WireState.TRAILERS : WireState.CHUNK_DATA;
    }

    private static WireState chunkEnd(final ByteBuf buffer)
    {
        if (buffer.readableBytes() < 2)
        {
            return buffer.getByte(buffer.readerIndex()) == HttpChars.CR ? null : WireState.BROKEN;
        }
        final int at = buffer.readerIndex();
        if (buffer.getByte(at) != HttpChars.CR || buffer.getByte(at + 1) != HttpChars.LF)
        {
            return WireState.BROKEN;
        }
        buffer.skipBytes(2);
        return WireState.CHUNK_SIZE;
    }

    private WireState trailer(final ByteBuf buffer)
    {
        final int end = Lines.end(buffer);
        if (end == Lines.INCOMPLETE)
        {
            return trailerBytes + Lines.partialLength(buffer) > maxTrailerBytes ? WireState.BROKEN : null;
        }
        if (end < 0)
        {
            return WireState.BROKEN;
        }
        final int from = buffer.readerIndex();
        buffer.readerIndex(end + 2);
        if (end == from)
        {
            return WireState.REQUEST_LINE;
        }
        trailerBytes += end - from;
        return trailerBytes <= maxTrailerBytes && HeadScanner.trailerLine(buffer, from, end) ?
            WireState.TRAILERS : WireState.BROKEN;
    }
}
