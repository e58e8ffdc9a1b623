package io.tally.engine.http;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.engine.audience.Audience;
import io.tally.codec.Outcome;
import io.tally.engine.http.wire.HeaderValue;

/**
 * What the handler knows of the request under way, from its head and what has happened to it since: reset in
 * one place when a request begins, so nothing of the last request on a keep-alive connection carries over.
 */
public final class RequestHead
{
    Route route = Route.NOT_FOUND;
    HttpMethod method;
    String uri;
    long startNanos;
    /** The connection closes once this request is answered (and read whole). */
    boolean closeAfterAnswer;
    /** Its answer has been written (perhaps early, before the body was read). */
    boolean answered;
    /** An HTTP/1.0 request: one kept alive is told so in its answer. */
    boolean http10;

    /** A view the connection reuses (valid until the next request's head), or null: the beacon path makes no String. */
    HeaderValue origin;
    /** A view the connection reuses (valid until the next request's head), or null. */
    CharSequence userAgent;
    /** A beacon's audience, found (or classified) from its User-Agent once the head is read; null before or without. */
    Audience audience;
    String authorization;
    String requestHeaders;
    String ifNoneMatch;
    String acceptEncoding;
    /** The site of a trusted batch's token; null without a valid token. */
    String tokenSite;

    /** The answer decided before the body was read: given once the body has been read past, or at once. */
    Outcome refusal;
    String refusalDetail;
    long retryAfterSeconds;

    int bodyBytes;
    int discardedBytes;

    void begin(final long nowNanos)
    {
        route = Route.NOT_FOUND;
        method = null;
        uri = null;
        startNanos = nowNanos;
        closeAfterAnswer = false;
        answered = false;
        http10 = false;
        origin = null;
        userAgent = null;
        audience = null;
        authorization = null;
        requestHeaders = null;
        ifNoneMatch = null;
        acceptEncoding = null;
        tokenSite = null;
        refusal = null;
        refusalDetail = null;
        retryAfterSeconds = 0;
        bodyBytes = 0;
        discardedBytes = 0;
    }

    public HttpMethod method()
    {
        return method;
    }

    /** The request target as a String; made for the cold routes only (null for a beacon). */
    public String uri()
    {
        return uri;
    }

    public CharSequence origin()
    {
        return origin;
    }

    /** The {@code User-Agent}, or null: a view the connection reuses, valid until the next request's head. */
    public CharSequence userAgent()
    {
        return userAgent;
    }

    /** A beacon's audience from its User-Agent, or null when it is not known yet (the ingestor looks it up then). */
    public Audience audience()
    {
        return audience;
    }

    public String authorization()
    {
        return authorization;
    }

    /** {@code Access-Control-Request-Headers} of a preflight. */
    public String requestHeaders()
    {
        return requestHeaders;
    }

    public String ifNoneMatch()
    {
        return ifNoneMatch;
    }

    public String acceptEncoding()
    {
        return acceptEncoding;
    }

    /** The site of a trusted batch's token; null without a valid token. */
    public String tokenSite()
    {
        return tokenSite;
    }

    /** The request is refused with this answer: given at once or once its body has been read past. */
    void refuse(final Outcome outcome, final String detail)
    {
        refusal = outcome;
        refusalDetail = detail;
    }
}
