package io.tally.engine.http.wire;

import io.netty.handler.codec.http.HttpMethod;

/**
 * The head of the request under way, as the scanner read it: one per connection, cleared when a request begins.
 * The values Tally reads are {@link HeaderValue}s the connection reuses, so a head costs no allocation; what the
 * framing needs ({@code Content-Length}, chunked, {@code Connection}, {@code Expect}) is kept decided.
 */
public final class WireHead
{
    HttpMethod method;
    boolean http11;
    final HeaderValue target = new HeaderValue();
    boolean host;
    long contentLength = -1;
    boolean chunked;
    boolean expectContinue;
    boolean connectionClose;
    boolean connectionKeepAlive;

    final HeaderValue userAgent = new HeaderValue();
    final HeaderValue origin = new HeaderValue();
    final HeaderValue forwardedFor = new HeaderValue();
    final HeaderValue contentType = new HeaderValue();
    final HeaderValue authorization = new HeaderValue();
    final HeaderValue ifNoneMatch = new HeaderValue();
    final HeaderValue acceptEncoding = new HeaderValue();
    final HeaderValue requestHeaders = new HeaderValue();

    void clear()
    {
        method = null;
        http11 = false;
        target.clear();
        host = false;
        contentLength = -1;
        chunked = false;
        expectContinue = false;
        connectionClose = false;
        connectionKeepAlive = false;
        userAgent.clear();
        origin.clear();
        forwardedFor.clear();
        contentType.clear();
        authorization.clear();
        ifNoneMatch.clear();
        acceptEncoding.clear();
        requestHeaders.clear();
    }

    /** The method; null when the request line could not be read. */
    public HttpMethod method()
    {
        return method;
    }

    /** HTTP/1.1 (or a later 1.x, read as 1.1); false for HTTP/1.0. */
    public boolean isHttp11()
    {
        return http11;
    }

    /** The request target as it came (origin-form: the path and the query). */
    public HeaderValue target()
    {
        return target;
    }

    public boolean hasHost()
    {
        return host;
    }

    /** The declared {@code Content-Length}; -1 without one (a chunked body, or none). */
    public long contentLength()
    {
        return contentLength;
    }

    public boolean isChunked()
    {
        return chunked;
    }

    /** {@code Expect: 100-continue} on an HTTP/1.1 request. */
    public boolean expectsContinue()
    {
        return expectContinue && http11;
    }

    /** Whether the connection stays open after this request (RFC 9112, 9.3): HTTP/1.1 unless {@code close}. */
    public boolean isKeepAlive()
    {
        return !connectionClose && (http11 || connectionKeepAlive);
    }

    public HeaderValue userAgent()
    {
        return userAgent;
    }

    public HeaderValue origin()
    {
        return origin;
    }

    public HeaderValue forwardedFor()
    {
        return forwardedFor;
    }

    public HeaderValue contentType()
    {
        return contentType;
    }

    public HeaderValue authorization()
    {
        return authorization;
    }

    public HeaderValue ifNoneMatch()
    {
        return ifNoneMatch;
    }

    public HeaderValue acceptEncoding()
    {
        return acceptEncoding;
    }

    /** {@code Access-Control-Request-Headers} of a preflight. */
    public HeaderValue requestHeaders()
    {
        return requestHeaders;
    }
}
