package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** The headers Tally reads; every other header is validated and skipped. Names are matched ignoring case. */
enum KnownHeader
{
    HOST("host"),
    CONTENT_LENGTH("content-length"),
    TRANSFER_ENCODING("transfer-encoding"),
    CONNECTION("connection"),
    EXPECT("expect"),
    USER_AGENT("user-agent"),
    ORIGIN("origin"),
    X_FORWARDED_FOR("x-forwarded-for"),
    CONTENT_TYPE("content-type"),
    AUTHORIZATION("authorization"),
    IF_NONE_MATCH("if-none-match"),
    ACCEPT_ENCODING("accept-encoding"),
    ACCESS_CONTROL_REQUEST_HEADERS("access-control-request-headers");

    private static final KnownHeader[] ALL = values();

    private final byte[] lowerName;

    KnownHeader(final String lowerName)
    {
        this.lowerName = lowerName.getBytes(StandardCharsets.US_ASCII);
    }

    /** The header named by {@code [from, to)} of {@code buffer}, or null for one Tally does not read. */
    static KnownHeader of(final ByteBuf buffer, final int from, final int to)
    {
        final int length = to - from;
        for (final KnownHeader header : ALL)
        {
            if (header.lowerName.length == length && header.named(buffer, from))
            {
                return header;
            }
        }
        return null;
    }

    private boolean named(final ByteBuf buffer, final int from)
    {
        for (int i = 0; i < lowerName.length; i++)
        {
            if (HttpChars.lower(buffer.getByte(from + i)) != lowerName[i])
            {
                return false;
            }
        }
        return true;
    }
}
