package io.tally.engine.http.route;

import io.tally.engine.http.ServiceAnswers;

/** {@code GET /metrics}: the Prometheus scrape, made off the event loop (it reads every counter and the disk). */
public final class MetricsRoute implements RouteHandler
{
    private final Exchange exchange;
    private final ServiceAnswers services;

    public MetricsRoute(final Exchange exchange, final ServiceAnswers services)
    {
        this.exchange = exchange;
        this.services = services;
    }

    @Override
    public void onRead()
    {
        final String authorization = exchange.request().authorization();
        exchange.answerOffLoop(alloc -> services.metrics(alloc, authorization));
    }
}
