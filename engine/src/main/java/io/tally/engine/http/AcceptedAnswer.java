package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import io.tally.engine.http.wire.HeaderValue;

/**
 * The 202 that answers almost every beacon, written as bytes rather than built as a Netty response object: the
 * common answer (no {@code Origin}, nothing dropped, keep-alive) is prebuilt bytes copied into a pooled buffer
 * (a shared buffer would need a new duplicate, an object, per answer), and the others are the same lines with
 * the request's origin, the dropped-property count and the {@code connection} header added. Nothing is allocated on
 * the heap for any of them. Its headers are those {@link Responses#of} and the handler's CORS would have produced.
 */
final class AcceptedAnswer
{
    private static final byte[] STATUS_LINE = ascii("HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n");
    private static final byte[] DROPPED = ascii("tally-dropped: props=");
    /** All the fixed parts together with a ten-digit count fit: the buffer never grows while an answer is written. */
    private static final int MOST_FIXED_BYTES = 160;
    private static final byte[] COMMON = ascii("HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n" +
        "access-control-allow-origin: *\r\n\r\n");

    private AcceptedAnswer()
    {
    }

    /** The answer's bytes; {@code origin} is echoed (with {@code vary: origin}) when the request sent one. */
    static ByteBuf encode(final ByteBufAllocator alloc, final HeaderValue origin, final int droppedProperties,
        final AnswerBytes.Connection connection)
    {
        if (origin == null && droppedProperties == 0 && connection == AnswerBytes.Connection.KEPT)
        {
            return alloc.directBuffer(COMMON.length).writeBytes(COMMON);
        }
        final ByteBuf out = alloc.buffer(MOST_FIXED_BYTES + (origin == null ? 0 : origin.length()));
        out.writeBytes(STATUS_LINE);
        AnswerBytes.writeOrigin(out, origin);
        if (droppedProperties > 0)
        {
            out.writeBytes(DROPPED);
            AnswerBytes.writeDigits(out, droppedProperties);
            out.writeBytes(AnswerBytes.CRLF);
        }
        AnswerBytes.writeConnection(out, connection);
        return out.writeBytes(AnswerBytes.CRLF);
    }

    private static byte[] ascii(final String text)
    {
        return AnswerBytes.ascii(text);
    }
}
