package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import io.tally.engine.http.wire.HeaderValue;

import java.nio.charset.StandardCharsets;

/**
 * The 202 that answers almost every beacon, written as bytes rather than built as a Netty response object: the
 * common answer (no {@code Origin}, nothing dropped, keep-alive) is one shared read-only buffer, and the others
 * are the same lines with the request's origin, the dropped-property count and {@code connection: close}
 * added. Its headers are those {@link Responses#of} and the handler's CORS would have produced.
 */
final class AcceptedAnswer
{
    private static final byte[] STATUS_LINE_TO_ORIGIN = ascii("HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\naccess-control-allow-origin: ");
    private static final byte[] ANY_ORIGIN = ascii("*\r\n");
    private static final byte[] VARY_ORIGIN = ascii("\r\nvary: origin\r\n");
    private static final byte[] DROPPED = ascii("tally-dropped: props=");
    private static final byte[] CLOSE = ascii("connection: close\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    /** All the fixed parts together with a ten-digit count fit: the buffer never grows while an answer is written. */
    private static final int MOST_FIXED_BYTES = 160;
    private static final ByteBuf COMMON = Unpooled.unreleasableBuffer(
        Unpooled.directBuffer(STATUS_LINE_TO_ORIGIN.length + ANY_ORIGIN.length + CRLF.length)
            .writeBytes(STATUS_LINE_TO_ORIGIN).writeBytes(ANY_ORIGIN).writeBytes(CRLF).asReadOnly());

    private AcceptedAnswer()
    {
    }

    /**
     * The answer's bytes; {@code origin} is echoed (with {@code vary: origin}) when the request sent one. It is
     * written as it came, from the connection's reused bytes (no String): the request scanner validates header
     * values, so it holds no CR, LF or other control character.
     */
    static ByteBuf encode(final ByteBufAllocator alloc, final HeaderValue origin, final int droppedProperties,
        final boolean close)
    {
        if (origin == null && droppedProperties == 0 && !close)
        {
            return COMMON.duplicate();
        }
        final ByteBuf out = alloc.buffer(MOST_FIXED_BYTES + (origin == null ? 0 : origin.length()));
        out.writeBytes(STATUS_LINE_TO_ORIGIN);
        if (origin == null)
        {
            out.writeBytes(ANY_ORIGIN);
        }
        else
        {
            origin.writeTo(out);
            out.writeBytes(VARY_ORIGIN);
        }
        if (droppedProperties > 0)
        {
            out.writeBytes(DROPPED);
            out.writeCharSequence(Integer.toString(droppedProperties), StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        }
        if (close)
        {
            out.writeBytes(CLOSE);
        }
        return out.writeBytes(CRLF);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
