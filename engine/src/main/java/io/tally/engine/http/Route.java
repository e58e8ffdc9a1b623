package io.tally.engine.http;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.engine.api.admin.AdminApi;
import io.tally.engine.http.wire.HeaderValue;
import io.tally.engine.metrics.Endpoint;

import java.nio.charset.StandardCharsets;

/** What a request is for, from its method and path; each route is counted under an {@link Endpoint}. */
enum Route
{
    EVENT(Endpoint.EVENT), TRUSTED(Endpoint.TRUSTED), PREFLIGHT(Endpoint.PREFLIGHT), HEALTH(Endpoint.HEALTH),
    METRICS(Endpoint.METRICS), ADMIN(Endpoint.ADMIN), PUBLIC(Endpoint.PUBLIC), NOT_FOUND(Endpoint.OTHER),
    METHOD_NOT_ALLOWED(Endpoint.OTHER);

    static final String EVENT_PATH = "/api/event";
    static final String TRUSTED_PATH = "/api/v1/events";
    static final String HEALTH_PATH = "/healthz";
    static final String METRICS_PATH = "/metrics";

    private final Endpoint endpoint;

    Route(final Endpoint endpoint)
    {
        this.endpoint = endpoint;
    }

    Endpoint endpoint()
    {
        return endpoint;
    }

    private static final byte[] EVENT_BYTES = ascii(EVENT_PATH);
    private static final byte[] TRUSTED_BYTES = ascii(TRUSTED_PATH);
    private static final byte[] HEALTH_BYTES = ascii(HEALTH_PATH);
    private static final byte[] METRICS_BYTES = ascii(METRICS_PATH);

    /**
     * The route of a request from its target's bytes: the engine's own paths are matched without making a String;
     * the others (public resources, the API, unknown paths) are cold and matched on a String of the path.
     */
    static Route of(final HttpMethod method, final HeaderValue target)
    {
        final int pathEnd = target.indexOrLength((byte)'?');
        if (target.headIs(pathEnd, EVENT_BYTES))
        {
            return of(method, EVENT_PATH);
        }
        if (target.headIs(pathEnd, TRUSTED_BYTES))
        {
            return of(method, TRUSTED_PATH);
        }
        if (target.headIs(pathEnd, HEALTH_BYTES))
        {
            return of(method, HEALTH_PATH);
        }
        if (target.headIs(pathEnd, METRICS_BYTES))
        {
            return of(method, METRICS_PATH);
        }
        return of(method, pathOf(target.toString()));
    }

    /** The route of a request; {@code path} is its URI without the query. */
    static Route of(final HttpMethod method, final String path)
    {
        if (EVENT_PATH.equals(path))
        {
            return method == HttpMethod.POST ? EVENT : method == HttpMethod.OPTIONS ? PREFLIGHT : METHOD_NOT_ALLOWED;
        }
        if (METRICS_PATH.equals(path))
        {
            return method == HttpMethod.GET ? METRICS : METHOD_NOT_ALLOWED;
        }
        if (HEALTH_PATH.equals(path))
        {
            return isRead(method) ? HEALTH : METHOD_NOT_ALLOWED;
        }
        if (TRUSTED_PATH.equals(path))
        {
            return method == HttpMethod.POST ? TRUSTED : METHOD_NOT_ALLOWED;
        }
        if (PublicResources.isPublic(path))
        {
            return isRead(method) ? PUBLIC : METHOD_NOT_ALLOWED;
        }
        return path.startsWith(AdminApi.PREFIX) ? ADMIN : NOT_FOUND;
    }

    static String pathOf(final String uri)
    {
        final int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isRead(final HttpMethod method)
    {
        return method == HttpMethod.GET || method == HttpMethod.HEAD;
    }
}
