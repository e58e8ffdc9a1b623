package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads the lines of a request head into a {@link WireHead}: the request line, then one header line at a time.
 * Each line is given whole, without its CRLF. What it refuses (each a 400 that closes the connection):
 * <ul>
 *   <li>a request line other than {@code method SP target SP HTTP/1.x}, a control character in the target;</li>
 *   <li>a header name that is not a token (so also a space before the colon), an empty name, a line that begins
 *       with a space (obs-fold), a control character in a value;</li>
 *   <li>a second {@code Host}, a second {@code Content-Length} (even with the same value), one that is not
 *       digits; a {@code Transfer-Encoding} other than a single {@code chunked}, or one in an HTTP/1.0 request.</li>
 * </ul>
 * A {@code Transfer-Encoding} together with a {@code Content-Length} is refused once the head is whole
 * ({@link #framingIsSound}).
 */
final class HeadScanner
{
    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "100-continue".getBytes(StandardCharsets.US_ASCII);
    /** More digits could pass {@code Long.MAX_VALUE}; no body that long is taken anyway. */
    private static final int MAX_LENGTH_DIGITS = 18;

    private HeadScanner()
    {
    }

    /** Reads {@code method SP request-target SP HTTP-version}; false when it is not that. */
    static boolean requestLine(final ByteBuf line, final int from, final int to, final WireHead head)
    {
        int i = from;
        while (i < to && HttpChars.isToken(line.getByte(i)))
        {
            i++;
        }
        if (i == from || i == to || line.getByte(i) != HttpChars.SP)
        {
            return false;
        }
        final int methodEnd = i;
        final int targetStart = ++i;
        while (i < to && HttpChars.isTarget(line.getByte(i)))
        {
            i++;
        }
        if (i == targetStart || i == to || line.getByte(i) != HttpChars.SP || !version(line, i + 1, to, head))
        {
            return false;
        }
        head.method = Methods.of(line, from, methodEnd);
        head.target.set(line, targetStart, i);
        return true;
    }

    /** {@code HTTP/1.0}, or {@code HTTP/1.1} (a later minor version is read as 1.1, RFC 9110, 2.5). */
    private static boolean version(final ByteBuf line, final int from, final int to, final WireHead head)
    {
        if (to - from != HTTP_1.length + 1 || !startsWith(line, from, HTTP_1))
        {
            return false;
        }
        final byte minor = line.getByte(to - 1);
        head.http11 = minor >= '1' && minor <= '9';
        return head.http11 || minor == '0';
    }

    /** Reads one header line; false when it is malformed or breaks the framing rules. */
    static boolean headerLine(final ByteBuf line, final int from, final int to, final WireHead head)
    {
        final int colon = nameEnd(line, from, to);
        if (colon < 0)
        {
            return false;
        }
        final int valueStart = valueStart(line, colon + 1, to);
        final int valueEnd = valueEnd(line, valueStart, to);
        if (valueEnd < 0)
        {
            return false;
        }
        final KnownHeader header = KnownHeader.of(line, from, colon);
        return header == null || take(header, line, valueStart, valueEnd, head);
    }

    /** A trailer line of a chunked body: checked as a header line is, its value not kept. */
    static boolean trailerLine(final ByteBuf line, final int from, final int to)
    {
        final int colon = nameEnd(line, from, to);
        return colon >= 0 && valueEnd(line, valueStart(line, colon + 1, to), to) >= 0;
    }

    /** Once the head is whole: a body framed two ways is refused (RFC 9112, 6.3: the server may, and Tally does). */
    static boolean framingIsSound(final WireHead head)
    {
        return !(head.chunked && head.contentLength >= 0);
    }

    /** Where the colon after a non-empty token name is; -1 when there is none (obs-fold, a space before it). */
    private static int nameEnd(final ByteBuf line, final int from, final int to)
    {
        int i = from;
        while (i < to && HttpChars.isToken(line.getByte(i)))
        {
            i++;
        }
        return i > from && i < to && line.getByte(i) == ':' ? i : -1;
    }

    private static int valueStart(final ByteBuf line, final int from, final int to)
    {
        int i = from;
        while (i < to && HttpChars.isSpace(line.getByte(i)))
        {
            i++;
        }
        return i;
    }

    /** The value's end without trailing spaces; -1 when a byte of it may not be in a field value. */
    private static int valueEnd(final ByteBuf line, final int from, final int to)
    {
        int end = from;
        for (int i = from; i < to; i++)
        {
            final byte b = line.getByte(i);
            if (!HttpChars.isFieldValue(b))
            {
                return -1;
            }
            if (!HttpChars.isSpace(b))
            {
                end = i + 1;
            }
        }
        return end;
    }

    private static boolean take(final KnownHeader header, final ByteBuf line, final int from, final int to,
        final WireHead head)
    {
        switch (header)
        {
            case HOST ->
            {
                // RFC 9112, 3.2: more than one Host is a 400
                final boolean first = !head.host;
                head.host = true;
                return first;
            }
            case CONTENT_LENGTH ->
            {
                return head.contentLength < 0 && (head.contentLength = length(line, from, to)) >= 0;
            }
            case TRANSFER_ENCODING ->
            {
                final boolean first = !head.chunked;
                head.chunked = true;
                return first && head.http11 && equalsIgnoreCase(line, from, to, CHUNKED);
            }
            case CONNECTION -> connection(line, from, to, head);
            case EXPECT -> head.expectContinue |= equalsIgnoreCase(line, from, to, CONTINUE);
            case USER_AGENT -> keepFirst(head.userAgent, line, from, to);
            case ORIGIN -> keepFirst(head.origin, line, from, to);
            case X_FORWARDED_FOR -> keepFirst(head.forwardedFor, line, from, to);
            case CONTENT_TYPE -> keepFirst(head.contentType, line, from, to);
            case AUTHORIZATION -> keepFirst(head.authorization, line, from, to);
            case IF_NONE_MATCH -> keepFirst(head.ifNoneMatch, line, from, to);
            case ACCEPT_ENCODING -> keepFirst(head.acceptEncoding, line, from, to);
            case ACCESS_CONTROL_REQUEST_HEADERS -> keepFirst(head.requestHeaders, line, from, to);
        }
        return true;
    }

    /** A header given twice is read as its first value, as Netty's {@code headers.get} did. */
    private static void keepFirst(final HeaderValue value, final ByteBuf line, final int from, final int to)
    {
        if (!value.isPresent())
        {
            value.set(line, from, to);
        }
    }

    /** {@code Content-Length}: 1*DIGIT; -1 when it is not (a sign, a list, empty, too long). */
    private static long length(final ByteBuf line, final int from, final int to)
    {
        if (to == from || to - from > MAX_LENGTH_DIGITS)
        {
            return -1;
        }
        long length = 0;
        for (int i = from; i < to; i++)
        {
            final byte b = line.getByte(i);
            if (b < '0' || b > '9')
            {
                return -1;
            }
            length = length * 10 + (b - '0');
        }
        return length;
    }

    /** {@code Connection}: a list of options, of which {@code close} and {@code keep-alive} matter here. */
    private static void connection(final ByteBuf line, final int from, final int to, final WireHead head)
    {
        int start = from;
        while (start < to)
        {
            int end = start;
            while (end < to && line.getByte(end) != ',')
            {
                end++;
            }
            final int next = end + 1;
            while (start < end && HttpChars.isSpace(line.getByte(start)))
            {
                start++;
            }
            while (end > start && HttpChars.isSpace(line.getByte(end - 1)))
            {
                end--;
            }
            head.connectionClose |= equalsIgnoreCase(line, start, end, CLOSE);
            head.connectionKeepAlive |= equalsIgnoreCase(line, start, end, KEEP_ALIVE);
            start = next;
        }
    }

    private static boolean equalsIgnoreCase(final ByteBuf line, final int from, final int to, final byte[] lower)
    {
        if (to - from != lower.length)
        {
            return false;
        }
        for (int i = 0; i < lower.length; i++)
        {
            if (HttpChars.lower(line.getByte(from + i)) != lower[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(final ByteBuf line, final int from, final byte[] prefix)
    {
        for (int i = 0; i < prefix.length; i++)
        {
            if (line.getByte(from + i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }
}
