package io.tally.engine.http.route;

import io.tally.engine.http.RequestHead;
import io.tally.engine.http.ServiceAnswers;

/** What browsers read without a token: the tracker script and a site's triggers, cacheable, compressed if asked. */
public final class PublicRoute implements RouteHandler
{
    private final Exchange exchange;
    private final ServiceAnswers services;

    public PublicRoute(final Exchange exchange, final ServiceAnswers services)
    {
        this.exchange = exchange;
        this.services = services;
    }

    @Override
    public void onRead()
    {
        final RequestHead request = exchange.request();
        exchange.send(services.publicResource(exchange.alloc(), request.method(), request.uri(), request.ifNoneMatch(),
            request.acceptEncoding()));
    }
}
