package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tally.codec.Outcome;
import io.tally.engine.http.wire.HeaderValue;

/**
 * A refusal's answer ({@code {"error", "detail"}} with the outcome's status) written as bytes, like the 202: a
 * flood of refusals (429s, bad beacons) makes no response object, header map or String. Its lines are those
 * {@link Responses#error}, the handler's {@code Retry-After} and {@link Cors} would have produced, in that order.
 */
final class ErrorAnswer
{
    private static final byte[][] STATUS_LINES = new byte[600][];
    private static final byte[] CONTENT_LENGTH = ascii("content-length: ");
    private static final byte[] JSON_TYPE = ascii("\r\ncontent-type: application/json\r\n");
    private static final byte[] RETRY_AFTER = ascii("retry-after: ");
    /** The fixed lines, numbers of up to 19 digits and the CORS and close lines fit: the buffer never grows. */
    private static final int MOST_FIXED_BYTES = 200 + AnswerBytes.MOST_CORS_AND_CLOSE_BYTES;

    static
    {
        for (final Outcome outcome : Outcome.values())
        {
            statusLine(outcome.httpStatus());
        }
        statusLine(HttpResponseStatus.INTERNAL_SERVER_ERROR.code());
        statusLine(HttpResponseStatus.SERVICE_UNAVAILABLE.code());
    }

    private ErrorAnswer()
    {
    }

    private static void statusLine(final int code)
    {
        STATUS_LINES[code] = ascii("HTTP/1.1 " + HttpResponseStatus.valueOf(code) + "\r\n");
    }

    /**
     * @param json              the body, {@code {"error", "detail"}} ({@link Responses#errorJson}).
     * @param retryAfterSeconds written as {@code retry-after} when zero or more.
     * @param origin            the request's {@code Origin}, or null.
     * @param withBody          false for HEAD: the same lines, {@code content-length} too, and no body.
     */
    static ByteBuf encode(final ByteBufAllocator alloc, final Outcome outcome, final CharSequence json,
        final long retryAfterSeconds, final HeaderValue origin, final AnswerBytes.Connection connection,
        final boolean withBody)
    {
        final int bodyBytes = ByteBufUtil.utf8Bytes(json);
        final ByteBuf out = alloc.buffer(MOST_FIXED_BYTES + (origin == null ? 0 : origin.length()) +
            (withBody ? bodyBytes : 0));
        out.writeBytes(STATUS_LINES[outcome.httpStatus()]);
        out.writeBytes(CONTENT_LENGTH);
        AnswerBytes.writeDigits(out, bodyBytes);
        out.writeBytes(JSON_TYPE);
        if (retryAfterSeconds >= 0)
        {
            out.writeBytes(RETRY_AFTER);
            AnswerBytes.writeDigits(out, retryAfterSeconds);
            out.writeBytes(AnswerBytes.CRLF);
        }
        AnswerBytes.writeOrigin(out, origin);
        AnswerBytes.writeConnection(out, connection);
        out.writeBytes(AnswerBytes.CRLF);
        if (withBody)
        {
            ByteBufUtil.writeUtf8(out, json);
        }
        return out;
    }

    private static byte[] ascii(final String text)
    {
        return AnswerBytes.ascii(text);
    }
}
