package io.tally.engine.http;

import io.tally.codec.Outcome;
import io.tally.engine.api.AdminToken;
import io.tally.engine.http.wire.WireHead;
import io.tally.engine.identity.ClientAddressResolver;
import io.tally.engine.identity.IpAddress;
import io.tally.engine.limit.RateLimiter;

import java.net.InetAddress;

/**
 * What a request's head decides before any of its body is read, one instance per connection: what each route
 * needs from the head (the client address through the trusted proxies, the User-Agent, a site token, the
 * caching and CORS headers) and the refusals the head alone decides (400 without {@code Host}, 503 while
 * draining, 429 past the client's bucket, 401, 415, 413 from {@code Content-Length}). It fills the
 * {@link RequestHead}; answering is the handler's.
 */
public final class HeadChecks
{
    /** Largest body of an admin request (a goal, a list of names). */
    public static final int MAX_ADMIN_BODY = 1024 * 1024;

    /** The detail of a 429 for each wait up to two minutes, made once: a flood of refusals must not make strings. */
    private static final String[] RATE_LIMITED_DETAILS = new String[121];

    static
    {
        for (int seconds = 0; seconds < RATE_LIMITED_DETAILS.length; seconds++)
        {
            RATE_LIMITED_DETAILS[seconds] = "too many requests from this address; retry after " + seconds + " s";
        }
    }

    private final HttpServices http;
    private final ClientAddressResolver addressResolver;
    private final IpAddress peer = new IpAddress();
    private final IpAddress client = new IpAddress();
    /** Whether the connection has an IP peer; one without (an in-process channel: tests, the bench) is this machine. */
    private boolean ipPeer;

    HeadChecks(final HttpServices http)
    {
        this.http = http;
        this.addressResolver = new ClientAddressResolver(http.trustedProxies());
    }

    /** The connection's peer, once, when it opens. */
    void peer(final InetAddress address)
    {
        peer.set(address);
        ipPeer = true;
    }

    /** The client of the request under way: the peer, or the address a trusted proxy forwarded for. */
    IpAddress client()
    {
        return client;
    }

    /**
     * Reads what the request's route needs from its head into {@code request}, refusing it when the head says so.
     * A beacon's values stay views over the connection's reused bytes; the cold routes make Strings.
     */
    void check(final WireHead head, final RequestHead request)
    {
        if (head.isHttp11() && !head.hasHost())
        {
            // HTTP/1.1 requires Host (RFC 9112, 3.2); HTTP/1.0 predates it
            request.refuse(Outcome.BAD_REQUEST, "an HTTP/1.1 request needs a Host header");
            return;
        }
        switch (request.route)
        {
            case EVENT -> checkEvent(head, request);
            case TRUSTED -> checkTrusted(head, request);
            case PUBLIC ->
            {
                request.ifNoneMatch = head.ifNoneMatch().stringOrNull();
                request.acceptEncoding = head.acceptEncoding().stringOrNull();
            }
            case PREFLIGHT -> request.requestHeaders = head.requestHeaders().stringOrNull();
            case ADMIN ->
            {
                request.authorization = head.authorization().stringOrNull();
                refuseIfAnnouncedTooLarge(head, request);
            }
            case METRICS, HEALTH ->
            {
                // who may read them depends on the client and on the metrics token
                request.authorization = head.authorization().stringOrNull();
                if (ipPeer)
                {
                    addressResolver.resolve(peer, head.forwardedFor().orNull(), client);
                }
                else
                {
                    client.set(InetAddress.getLoopbackAddress());
                }
                refuseIfAnnouncedTooLarge(head, request);
            }
            default ->
            {
                // the answer (404, 405) needs nothing more from the head
            }
        }
    }

    private void checkEvent(final WireHead head, final RequestHead request)
    {
        request.userAgent = head.userAgent().orNull();
        addressResolver.resolve(peer, head.forwardedFor().orNull(), client);
        if (refusedAsDrainingOrLimited(request))
        {
            return;
        }
        if (!ContentTypes.isAccepted(head.contentType().orNull()))
        {
            request.refuse(Outcome.UNSUPPORTED_MEDIA_TYPE, "send application/json or text/plain");
            return;
        }
        refuseIfAnnouncedTooLarge(head, request);
    }

    /** A batch of trusted events: a site token, the limiter per request, a body of one event or NDJSON. */
    private void checkTrusted(final WireHead head, final RequestHead request)
    {
        request.userAgent = head.userAgent().orNull();
        addressResolver.resolve(peer, head.forwardedFor().orNull(), client);
        request.tokenSite = http.siteTokens().siteOf(AdminToken.bearer(head.authorization().stringOrNull()));
        if (refusedAsDrainingOrLimited(request))
        {
            return;
        }
        if (request.tokenSite == null)
        {
            request.refuse(Outcome.UNAUTHORIZED, "send Authorization: Bearer <site token>");
        }
        else if (!ContentTypes.isAcceptedBatch(head.contentType().orNull()))
        {
            request.refuse(Outcome.UNSUPPORTED_MEDIA_TYPE, "send application/json or text/plain");
        }
    }

    /** Refuses the request (503 while draining, 429 past the client's bucket); true when it did. */
    private boolean refusedAsDrainingOrLimited(final RequestHead request)
    {
        if (http.draining().getAsBoolean())
        {
            request.retryAfterSeconds = 1;
            request.refuse(Outcome.SHUTTING_DOWN, "the engine is shutting down");
            return true;
        }
        final RateLimiter limiter = http.limiters().forSite(request.route == Route.TRUSTED ? request.tokenSite : null);
        final long wait = limiter.tryAcquire(client.high(), client.low());
        if (wait > 0)
        {
            request.retryAfterSeconds = RateLimiter.retryAfterSeconds(wait);
            request.refuse(Outcome.RATE_LIMITED, rateLimitedDetail(request.retryAfterSeconds));
            return true;
        }
        return false;
    }

    /** Refuses (413) a body whose {@code Content-Length} is past the route's limit. */
    void refuseIfAnnouncedTooLarge(final WireHead head, final RequestHead request)
    {
        if (head.contentLength() > bodyLimit(request.route))
        {
            request.refuse(Outcome.BODY_TOO_LARGE, bodyTooLargeDetail(request.route));
        }
    }

    int bodyLimit(final Route route)
    {
        return route == Route.ADMIN ? MAX_ADMIN_BODY : http.maxBody();
    }

    String bodyTooLargeDetail(final Route route)
    {
        return "the body is larger than " + bodyLimit(route) + " bytes";
    }

    static String rateLimitedDetail(final long seconds)
    {
        return seconds >= 0 && seconds < RATE_LIMITED_DETAILS.length ? RATE_LIMITED_DETAILS[(int)seconds] :
            "too many requests from this address; retry after " + seconds + " s";
    }
}
