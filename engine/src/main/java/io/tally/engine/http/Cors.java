package io.tally.engine.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

/**
 * Cross-origin answers: every answer is readable by any page (beacons come from the sites' own pages, dashboards
 * from anywhere), with the request's {@code Origin} echoed when it sent one; and the answer to a preflight. The
 * 202 of a beacon writes the same headers as bytes ({@link AcceptedAnswer}).
 */
public final class Cors
{
    private static final AsciiString ANY = AsciiString.cached("*");
    private static final AsciiString PREFLIGHT_METHODS = AsciiString.cached("POST, OPTIONS");
    private static final AsciiString PREFLIGHT_HEADERS = AsciiString.cached("Content-Type");
    private static final AsciiString PREFLIGHT_MAX_AGE = AsciiString.cached("86400");

    private Cors()
    {
    }

    /** Allows {@code origin} (null: the request named none) to read the answer. */
    static void allow(final HttpHeaders headers, final CharSequence origin)
    {
        if (origin != null)
        {
            // a String of it: the request's view is reused by the next request
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.toString());
            headers.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        else
        {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY);
        }
    }

    /** The answer to an {@code OPTIONS} preflight of a beacon; {@code requestHeaders} as the browser asked. */
    public static FullHttpResponse preflight(final String requestHeaders)
    {
        final FullHttpResponse response = Responses.of(HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
        final HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, PREFLIGHT_METHODS);
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requestHeaders == null ? PREFLIGHT_HEADERS : requestHeaders);
        headers.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE);
        return response;
    }
}
