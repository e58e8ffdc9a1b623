package io.tally.engine.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tally.codec.Outcome;
import io.tally.codec.json.Json;
import io.tally.engine.api.ApiHandler;
import io.tally.engine.api.admin.HealthReport;
import io.tally.engine.api.admin.MetricsEndpoint;
import io.tally.engine.api.request.Answer;
import io.tally.engine.metrics.EngineReadings;

/**
 * The engine's service endpoints, none of them on the event path: health, metrics, the admin and stats API,
 * and what browsers read without a token (the tracker script, a site's triggers). Each gives a whole answer.
 */
public final class ServiceAnswers
{
    private final EngineReadings readings;
    private final ApiHandler adminApi;
    private final MetricsEndpoint metrics;
    private final PublicResources publicResources;
    private final MonitoringAccess monitoringAccess;
    private final boolean ingests;

    ServiceAnswers(final EngineReadings readings, final ApiHandler adminApi, final MetricsEndpoint metrics,
        final PublicResources publicResources, final MonitoringAccess monitoringAccess, final boolean ingests)
    {
        this.monitoringAccess = monitoringAccess;
        this.ingests = ingests;
        this.readings = readings;
        this.adminApi = adminApi;
        this.metrics = metrics;
        this.publicResources = publicResources;
    }

    /** Whether the server takes events; a rollup worker does not ({@link ServerServices#ingests()}). */
    public boolean ingests()
    {
        return ingests;
    }

    /** Who may read {@code /metrics} and {@code /healthz}; their routes ask before answering. */
    public MonitoringAccess monitoringAccess()
    {
        return monitoringAccess;
    }

    public FullHttpResponse health(final ByteBufAllocator alloc)
    {
        final HttpResponseStatus status = readings.draining().getAsBoolean() ? HttpResponseStatus.SERVICE_UNAVAILABLE :
            HttpResponseStatus.OK;
        return Responses.json(alloc, status, Json.write(HealthReport.of(readings)));
    }

    public FullHttpResponse metrics(final ByteBufAllocator alloc, final String authorization)
    {
        if (!metrics.authorizes(authorization))
        {
            return Responses.error(alloc, HttpResponseStatus.UNAUTHORIZED, Outcome.UNAUTHORIZED,
                "send Authorization: Bearer <metrics token>");
        }
        final FullHttpResponse response = Responses.of(HttpResponseStatus.OK, Unpooled.wrappedBuffer(metrics.scrape()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, metrics.contentType());
        return response;
    }

    public FullHttpResponse admin(final ByteBufAllocator alloc, final HttpMethod method, final String uri, final String authorization,
        final String body)
    {
        final Answer answer = adminApi.handle(method, uri, authorization, body);
        final HttpResponseStatus status = HttpResponseStatus.valueOf(answer.status());
        if (answer.file() != null)
        {
            return FileAnswer.open(status, answer.contentType(), answer.file());
        }
        if (answer.contentType() != null && answer.json() != null)
        {
            final FullHttpResponse response = Responses.of(status, io.netty.buffer.ByteBufUtil.writeUtf8(alloc, answer.json()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            return response;
        }
        return answer.json() == null ? Responses.of(status, Unpooled.EMPTY_BUFFER) : Responses.json(alloc, status, answer.json());
    }

    /** The tracker script or a site's triggers: cacheable, for any origin, without a token. */
    public FullHttpResponse publicResource(final ByteBufAllocator alloc, final HttpMethod method, final String uri,
        final String ifNoneMatch, final String acceptEncoding)
    {
        final String path = Route.pathOf(uri);
        final CachedBody body = publicResources.find(path);
        if (body == null)
        {
            return Responses.error(alloc, HttpResponseStatus.NOT_FOUND, Outcome.NOT_FOUND, PublicResources.missing(path));
        }
        return body.respond(method, ifNoneMatch, acceptEncoding);
    }
}
