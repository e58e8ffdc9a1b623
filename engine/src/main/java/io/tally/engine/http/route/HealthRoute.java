package io.tally.engine.http.route;

import io.tally.engine.http.ServiceAnswers;

/**
 * {@code GET /healthz}: answered on the event loop, from figures kept up to date elsewhere, so a health check
 * still answers while the API's threads are busy.
 */
public final class HealthRoute implements RouteHandler
{
    private final Exchange exchange;
    private final ServiceAnswers services;

    public HealthRoute(final Exchange exchange, final ServiceAnswers services)
    {
        this.exchange = exchange;
        this.services = services;
    }

    @Override
    public void onRead()
    {
        exchange.send(services.health(exchange.alloc()));
    }
}
