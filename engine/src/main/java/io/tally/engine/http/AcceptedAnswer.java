package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import io.tally.codec.DropReason;
import io.tally.codec.DroppedFields;
import io.tally.engine.http.wire.HeaderValue;

/**
 * The 202 that answers almost every beacon, written as bytes rather than built as a Netty response object: the
 * common answer (no {@code Origin}, nothing dropped, keep-alive) is prebuilt bytes copied into a pooled buffer
 * (a shared buffer would need a new duplicate, an object, per answer), and the others are the same lines with
 * the request's origin, what was dropped and the {@code connection} header added. Nothing is allocated on
 * the heap for any of them. Its headers are those {@link Responses#of} and the handler's CORS would have produced.
 * <p>
 * What was dropped is one header, {@code tally-dropped: props=2, referrer=1}: each {@link DropReason} with a
 * count, in the reasons' order, joined by a comma and a space (docs/plausible.md).
 */
final class AcceptedAnswer
{
    private static final byte[] STATUS_LINE = ascii("HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n");
    private static final byte[] DROPPED = ascii("tally-dropped: ");
    private static final byte[] SEPARATOR = ascii(", ");
    /** Each reason's {@code name=}, made once. */
    private static final byte[][] REASONS = reasons();
    /** All the fixed parts together with every reason and a ten-digit count each fit: the buffer never grows. */
    private static final int MOST_FIXED_BYTES = 160 + mostDroppedBytes();
    private static final byte[] COMMON = ascii("HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n" +
        "access-control-allow-origin: *\r\n\r\n");

    private AcceptedAnswer()
    {
    }

    /** The answer's bytes; {@code origin} is echoed (with {@code vary: origin}) when the request sent one. */
    static ByteBuf encode(final ByteBufAllocator alloc, final HeaderValue origin, final DroppedFields dropped,
        final AnswerBytes.Connection connection)
    {
        if (origin == null && dropped.total() == 0 && connection == AnswerBytes.Connection.KEPT)
        {
            return alloc.directBuffer(COMMON.length).writeBytes(COMMON);
        }
        final ByteBuf out = alloc.buffer(MOST_FIXED_BYTES + (origin == null ? 0 : origin.length()));
        out.writeBytes(STATUS_LINE);
        AnswerBytes.writeOrigin(out, origin);
        if (dropped.total() > 0)
        {
            writeDropped(out, dropped);
        }
        AnswerBytes.writeConnection(out, connection);
        return out.writeBytes(AnswerBytes.CRLF);
    }

    private static void writeDropped(final ByteBuf out, final DroppedFields dropped)
    {
        out.writeBytes(DROPPED);
        boolean first = true;
        for (int i = 0; i < REASONS.length; i++)
        {
            final int count = dropped.count(DropReason.get(i));
            if (count > 0)
            {
                if (!first)
                {
                    out.writeBytes(SEPARATOR);
                }
                first = false;
                out.writeBytes(REASONS[i]);
                AnswerBytes.writeDigits(out, count);
            }
        }
        out.writeBytes(AnswerBytes.CRLF);
    }

    private static byte[][] reasons()
    {
        final byte[][] reasons = new byte[DropReason.COUNT][];
        for (int i = 0; i < reasons.length; i++)
        {
            reasons[i] = ascii(DropReason.get(i).wireName() + "=");
        }
        return reasons;
    }

    private static int mostDroppedBytes()
    {
        int bytes = DROPPED.length + AnswerBytes.CRLF.length;
        for (final byte[] reason : REASONS)
        {
            bytes += reason.length + 10 + SEPARATOR.length;
        }
        return bytes;
    }

    private static byte[] ascii(final String text)
    {
        return AnswerBytes.ascii(text);
    }
}
