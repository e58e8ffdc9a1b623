package io.tally.engine.http;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.engine.api.AdminApi;
import io.tally.engine.metrics.Endpoint;

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

    private static boolean isRead(final HttpMethod method)
    {
        return method == HttpMethod.GET || method == HttpMethod.HEAD;
    }
}
