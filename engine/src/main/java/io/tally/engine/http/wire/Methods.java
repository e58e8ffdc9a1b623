package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;

/** A request line's method as Netty's constant, read from the bytes: the standard methods make nothing. */
final class Methods
{
    private static final HttpMethod[] KNOWN = {HttpMethod.POST, HttpMethod.GET, HttpMethod.OPTIONS, HttpMethod.HEAD,
        HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.TRACE, HttpMethod.CONNECT};
    private static final byte[][] NAMES = new byte[KNOWN.length][];

    static
    {
        for (int i = 0; i < KNOWN.length; i++)
        {
            NAMES[i] = KNOWN[i].name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Methods()
    {
    }

    /** The method named by {@code [from, to)}, a token; methods are case-sensitive (RFC 9110, 9.1). */
    static HttpMethod of(final ByteBuf buffer, final int from, final int to)
    {
        for (int i = 0; i < KNOWN.length; i++)
        {
            if (is(buffer, from, to, NAMES[i]))
            {
                return KNOWN[i];
            }
        }
        return HttpMethod.valueOf(buffer.toString(from, to - from, StandardCharsets.US_ASCII));
    }

    private static boolean is(final ByteBuf buffer, final int from, final int to, final byte[] name)
    {
        if (to - from != name.length)
        {
            return false;
        }
        for (int i = 0; i < name.length; i++)
        {
            if (buffer.getByte(from + i) != name[i])
            {
                return false;
            }
        }
        return true;
    }
}
