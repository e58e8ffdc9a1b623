package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.tally.engine.http.wire.HeaderValue;

import java.nio.charset.StandardCharsets;

/**
 * The pieces of an answer written as bytes ({@link AcceptedAnswer}, {@link ErrorAnswer}): the CORS lines the
 * handler's {@link Cors} would add, the connection's fate, numbers without their Strings. Header names are in
 * lower case, as Netty's encoder writes them.
 */
final class AnswerBytes
{
    static final byte[] CRLF = ascii("\r\n");
    private static final byte[] ALLOW_ORIGIN = ascii("access-control-allow-origin: ");
    private static final byte[] ANY_ORIGIN = ascii("*\r\n");
    private static final byte[] VARY_ORIGIN = ascii("\r\nvary: origin\r\n");
    private static final byte[] CLOSE = ascii("connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("connection: keep-alive\r\n");
    /** What an answer says of its connection. */
    enum Connection
    {
        /** Nothing: HTTP/1.1 keeps the connection by default. */
        KEPT,
        /** {@code connection: close}: the connection closes after the answer. */
        CLOSE,
        /** {@code connection: keep-alive}: an HTTP/1.0 client that asked to keep it is told it is kept. */
        KEPT_FOR_HTTP_10
    }

    /** The most bytes {@link #writeOrigin} and {@link #writeConnection} write besides the origin itself. */
    static final int MOST_CORS_AND_CLOSE_BYTES = 80;

    private AnswerBytes()
    {
    }

    /**
     * {@code origin} echoed (with {@code vary: origin}) when the request sent one, else {@code *}. It is written
     * as it came, from the connection's reused bytes (no String): the request scanner lets no CR, LF or other
     * control character into a header value.
     */
    static void writeOrigin(final ByteBuf out, final HeaderValue origin)
    {
        out.writeBytes(ALLOW_ORIGIN);
        if (origin == null)
        {
            out.writeBytes(ANY_ORIGIN);
            return;
        }
        origin.writeTo(out);
        out.writeBytes(VARY_ORIGIN);
    }

    static void writeConnection(final ByteBuf out, final Connection connection)
    {
        if (connection == Connection.CLOSE)
        {
            out.writeBytes(CLOSE);
        }
        else if (connection == Connection.KEPT_FOR_HTTP_10)
        {
            out.writeBytes(KEEP_ALIVE);
        }
    }

    /** A count of zero or more in decimal, without making its String. */
    static void writeDigits(final ByteBuf out, final long value)
    {
        long scale = 1;
        while (value / scale >= 10)
        {
            scale *= 10;
        }
        for (; scale > 0; scale /= 10)
        {
            out.writeByte((int)('0' + value / scale % 10));
        }
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
